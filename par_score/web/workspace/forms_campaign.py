"""The administrator's forms: uploads and imports, campaigns (unit, profile, cluster, deadline, the report's letter),
accounts, reopening, scoring runs; and the appraisal council's forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from pydantic import ValidationError

from par_score.evidence.model import ReportInfo
from par_score.io.validation import problems_from
from par_score.vocabulary import UNIT_LEVEL_NAMES
from par_score.web.workspace import codec
from par_score.web.workspace.files import size_text
from par_score.web.workspace.forms import DATE_HELP, VnDateField
from par_score.web.workspace.forms import text_field as _text


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label="Bảng tính của cơ quan (.xlsx)",
        help_text="bảng tính tạo từ mẫu của chiến dịch; thay toàn bộ bản ghi hiện có của cơ quan",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > settings.MAX_WORKBOOK_BYTES:
            raise forms.ValidationError(
                f"bảng tính quá lớn ({size_text(upload.size)}; tối đa {size_text(settings.MAX_WORKBOOK_BYTES)})"
            )
        return upload


class ImportForm(forms.Form):
    bundle = forms.FileField(
        label="Bộ tài liệu kiểm chứng",
        help_text="tệp .yaml/.json, hoặc tệp .zip của thư mục bộ tài liệu (kèm thư mục files/)",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json,.zip"}),
    )

    def clean_bundle(self):
        upload = self.cleaned_data["bundle"]
        if upload.size > settings.MAX_BUNDLE_BYTES:
            raise forms.ValidationError(
                f"tệp quá lớn ({size_text(upload.size)}; tối đa {size_text(settings.MAX_BUNDLE_BYTES)})"
            )
        return upload


class AgencyWorkbookImportForm(WorkbookForm):
    agency = forms.ChoiceField(label="Cơ quan")

    def __init__(self, *args, agencies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a, a) for a in agencies]


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class CampaignForm(forms.Form):
    name = _text("Tên chiến dịch", max_length=200, help_text="ví dụ: Tự đánh giá Chỉ số CCHC năm 2024")
    unit_code = forms.RegexField(
        label="Mã đơn vị",
        regex=r"^[a-z0-9][a-z0-9\-]*$",
        max_length=80,
        help_text="chữ thường không dấu, số và '-', ví dụ: tay-ninh",
        error_messages={"invalid": "chỉ gồm chữ thường không dấu, số và '-', ví dụ: tay-ninh"},
    )
    unit_name = _text("Tên đơn vị", max_length=500, help_text="ví dụ: Tỉnh Tây Ninh")
    unit_level = forms.ChoiceField(label="Cấp đơn vị", choices=list(UNIT_LEVEL_NAMES.items()))
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100)
    catalogue = forms.ChoiceField(label="Danh mục tiêu chí", required=False)
    catalogue_file = forms.FileField(
        label="hoặc tải lên tệp danh mục (.yaml)",
        required=False,
        help_text="Bộ tiêu chí chính thức dạng YAML theo criteria/README.md",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )
    profile = forms.ChoiceField(
        label="Loại đơn vị",
        required=False,
        help_text="chỉ với danh mục chia loại đơn vị (chỉ số của các sở, của cấp xã): chỉ chấm các tiêu chí áp dụng",
    )
    cluster = forms.ChoiceField(
        label="Khối xếp hạng",
        required=False,
        help_text="chỉ với danh mục xếp hạng theo khối mà loại đơn vị không quyết định khối",
    )
    deadline = VnDateField(label="Hạn nộp của các cơ quan", help_text=f"hết ngày này thì khóa tự động; {DATE_HELP}")

    def __init__(self, *args, catalogues: dict, **kwargs):
        """`catalogues`: id → its loaded index, for the choices of catalogue, profile and cluster."""
        super().__init__(*args, **kwargs)
        self.fields["catalogue"].choices = [("", "—")] + [(c, c) for c in catalogues]
        self.fields["profile"].choices = [("", "—"), *profile_choices(catalogues.values())]
        self.fields["cluster"].choices = [("", "—"), *cluster_choices(catalogues.values())]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("catalogue") and not cleaned.get("catalogue_file"):
            self.add_error("catalogue", "chọn một danh mục có sẵn hoặc tải lên tệp danh mục")
        return cleaned


def profile_choices(indexes) -> list:
    """The unit profiles of the given catalogues, grouped by catalogue (for a <select> with <optgroup>s)."""
    return [
        (index.catalogue.title, [(p.id, p.name) for p in index.catalogue.profiles])
        for index in indexes
        if index.catalogue.profiles
    ]


def cluster_choices(indexes) -> list:
    """The ranking clusters a unit names itself (those its profile does not decide), grouped by catalogue."""
    return [
        (index.catalogue.title, [(c.id, c.name) for c in index.catalogue.clusters])
        for index in indexes
        if len(index.catalogue.clusters or []) > 1 and not index.clusters_by_profile
    ]


class CampaignSettingsForm(forms.Form):
    """The campaign's own fields an administrator edits after creating it: name, deadline, the report's letter."""

    name = _text("Tên chiến dịch", max_length=200)
    deadline = VnDateField(label="Hạn nộp của các cơ quan")
    number = _text("Số báo cáo", required=False, max_length=100, help_text="ví dụ: 25/BC-UBND")
    date = VnDateField(label="Ngày báo cáo", required=False)
    place = _text("Địa danh", required=False, max_length=100)
    issuing_body = _text(
        "Cơ quan ban hành báo cáo", required=False, long=True, max_length=600, help_text="mỗi dòng một dòng tên"
    )
    signer_authority = _text("Thẩm quyền ký", required=False, max_length=200, help_text="ví dụ: TM. ỦY BAN NHÂN DÂN")
    signer_delegation = _text("Ký thay", required=False, max_length=200, help_text="ví dụ: KT. CHỦ TỊCH")
    signer_title = _text("Chức vụ người ký", required=False, max_length=200, help_text="ví dụ: PHÓ CHỦ TỊCH")
    signer_name = _text("Họ tên người ký", required=False, max_length=200)
    recipients = _text("Nơi nhận", required=False, long=True, max_length=4000, help_text="mỗi dòng một nơi nhận")
    difficulties = _text("Khó khăn, vướng mắc", required=False, long=True, max_length=20000, help_text="mỗi dòng một ý")
    proposals = _text("Kiến nghị, đề xuất", required=False, long=True, max_length=20000, help_text="mỗi dòng một ý")
    appraisal_number = _text(
        "Số báo cáo sau thẩm định",
        required=False,
        max_length=100,
        help_text="báo cáo tiếp thu, giải trình kết quả thẩm định",
    )
    appraisal_date = VnDateField(label="Ngày báo cáo sau thẩm định", required=False)
    appraisal_recipient = _text("Nơi gửi báo cáo sau thẩm định", required=False, max_length=300)
    profile = forms.ChoiceField(label="Loại đơn vị", required=False)
    cluster = forms.ChoiceField(label="Khối xếp hạng", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, index, **kwargs):
        super().__init__(*args, **kwargs)
        profiles = [(p.id, p.name) for p in index.catalogue.profiles or []]
        clusters = [(c.id, c.name) for c in index.catalogue.clusters or []]
        if profiles:
            self.fields["profile"].choices = [("", "—"), *profiles]
        else:
            del self.fields["profile"]
        if len(clusters) > 1 and not index.clusters_by_profile:
            self.fields["cluster"].choices = [("", "—"), *clusters]
        else:
            del self.fields["cluster"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        c = cleaned

        def lines(name: str) -> list[str]:
            return [line.strip() for line in (c.get(name) or "").splitlines() if line.strip()]

        signer = {
            "authority": c.get("signer_authority") or "",
            "delegation": c.get("signer_delegation") or None,
            "title": c.get("signer_title") or "",
            "name": c.get("signer_name") or "",
        }
        report = {
            "number": c.get("number") or "",
            "date": c.get("date"),
            "place": c.get("place") or "",
            "issuing_body": c.get("issuing_body") or "",
            "signer": signer,
            "recipients": lines("recipients"),
            "difficulties": lines("difficulties"),
            "proposals": lines("proposals"),
        }
        if c.get("appraisal_number") or c.get("appraisal_date") or c.get("appraisal_recipient"):
            report["appraisal"] = {"number": c.get("appraisal_number") or "", "date": c.get("appraisal_date")}
            if c.get("appraisal_recipient"):
                report["appraisal"]["recipient"] = c["appraisal_recipient"]
        try:
            info = ReportInfo.model_validate(report)
        except ValidationError as exc:
            names = {"signer.authority": "signer_authority", "signer.delegation": "signer_delegation"}
            names |= {"signer.title": "signer_title", "signer.name": "signer_name"}
            names |= {f"appraisal.{n}": f"appraisal_{n}" for n in ("number", "date", "recipient")}
            for problem in problems_from(exc, report, None):
                field = names.get(problem.field or "", (problem.field or "").split(".")[0])
                self.add_error(field if field in self.fields else None, problem.message)
            return cleaned
        self.report = codec.stored(info)
        return cleaned

    @staticmethod
    def initial_from(campaign) -> dict[str, Any]:
        report = campaign.report or {}
        signer = report.get("signer") or {}
        default_signer = ReportInfo().signer
        after = report.get("appraisal") or {}
        body = report.get("issuing_body", [])
        return {
            "appraisal_number": after.get("number", ""),
            "appraisal_date": dt.date.fromisoformat(after["date"]) if after.get("date") else None,
            "appraisal_recipient": after.get("recipient", ""),
            "profile": campaign.unit_profile,
            "cluster": campaign.unit_cluster,
            "name": campaign.name,
            "deadline": timezone.localtime(campaign.deadline).date(),
            "number": report.get("number", ""),
            "date": dt.date.fromisoformat(report["date"]) if report.get("date") else None,
            "place": report.get("place", ""),
            "issuing_body": "\n".join(body) if isinstance(body, list) else body,
            "signer_authority": signer.get("authority", default_signer.authority),
            "signer_delegation": signer.get("delegation", default_signer.delegation) or "",
            "signer_title": signer.get("title", default_signer.title),
            "signer_name": signer.get("name", ""),
            "recipients": "\n".join(report.get("recipients", [])),
            "difficulties": "\n".join(report.get("difficulties", [])),
            "proposals": "\n".join(report.get("proposals", [])),
            "version": campaign.version,
        }


class AccountForm(forms.Form):
    username = forms.RegexField(
        label="Tên đăng nhập",
        regex=r"^[A-Za-z0-9_.\-@]+$",
        max_length=150,
        error_messages={"invalid": "chỉ gồm chữ không dấu, số và . _ - @"},
    )
    full_name = _text("Họ và tên", required=False, max_length=150)
    role = forms.ChoiceField(
        label="Vai trò",
        choices=[
            ("agency", "Cán bộ cơ quan (nhập tài liệu)"),
            ("auditor", "Kiểm tra viên (chỉ đọc)"),
            ("appraiser", "Thành viên hội đồng thẩm định (chấm điểm thẩm định)"),
        ],
    )
    agency = forms.ChoiceField(label="Cơ quan", required=False, help_text="chỉ với cán bộ cơ quan")
    password = forms.CharField(
        label="Mật khẩu ban đầu",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="ít nhất 10 ký tự; người dùng nên đổi sau lần đăng nhập đầu",
        required=False,
    )

    def __init__(self, *args, agencies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—")] + [(a, a) for a in agencies]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == "agency" and not cleaned.get("agency"):
            self.add_error("agency", "chọn cơ quan của cán bộ")
        if cleaned.get("role") in ("auditor", "appraiser"):
            cleaned["agency"] = ""
        return cleaned


class ReopenForm(forms.Form):
    extended_until = VnDateField(
        label="Gia hạn đến hết ngày", required=False, help_text=f"để trống nếu hạn chung chưa qua; {DATE_HELP}"
    )
