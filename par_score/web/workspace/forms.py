"""Forms generated from the catalogue for an agency's criteria; each builds one evidence record and validates it
with par_score's own evidence model (the checks against the catalogue follow in records.save_record)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from pydantic import ValidationError

from par_score.errors import Problem
from par_score.evidence.model import DOCUMENT_KINDS, ReportInfo
from par_score.evidence.parts import validate_record
from par_score.io.validation import problems_from
from par_score.vocabulary import UNIT_LEVEL_NAMES
from par_score.web.workspace import codec
from par_score.web.workspace.catalogues import periods_of, reads_ratio
from par_score.web.workspace.files import size_text
from par_score.web.workspace.numbers import NumberError, form_text, parse_number

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_HELP = "ngày/tháng/năm, ví dụ 25/12/2023"
FORM_FIELDS = {"file.path": "file", "file.sha256": "file", "file": "file"}


class NumberField(forms.CharField):
    """A number typed the Vietnamese way (see numbers.parse_number); kept as an exact Decimal."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_number(text)
        except NumberError as exc:
            raise forms.ValidationError(str(exc)) from None


class VnDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("help_text", DATE_HELP)
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
        kwargs.setdefault("error_messages", {"invalid": f"ngày không hợp lệ; viết theo {DATE_HELP}"})
        super().__init__(**kwargs)


def _text(
    label: str, *, required: bool = True, long: bool = False, max_length: int = 1000, **kwargs
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget, **kwargs)


class RecordForm(forms.Form):
    """A form whose cleaned result is one evidence record (`self.record`, stored form)."""

    section = ""

    def record_data(self) -> dict[str, Any]:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = self.record_data()
        try:
            record = validate_record(self.section, data)
        except ValidationError as exc:
            self.add_problems(problems_from(exc, data, None))
            return cleaned
        self.record = codec.stored(record)
        return cleaned

    def add_problems(self, problems: list[Problem]) -> None:
        """Problems found by par_score (field = the evidence field) shown next to the form's field."""
        for problem in problems:
            name = FORM_FIELDS.get(problem.field or "", problem.field)
            if name in self.fields:
                self.add_error(name, problem.message)
            else:
                self.add_error(None, problem.render())


def _documents_field(choices: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Văn bản kèm theo",
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="các văn bản của cơ quan đã nhập ở mục Văn bản" if choices else "cơ quan chưa nhập văn bản nào",
    )


class DocumentForm(RecordForm):
    section = "documents"

    id = forms.CharField(
        label="Mã văn bản",
        required=False,
        max_length=120,
        help_text="để trống để tự đặt theo số, ký hiệu; chỉ chữ không dấu, số, '-', '_', '.'",
    )
    kind = forms.ChoiceField(label="Loại văn bản", choices=list(DOCUMENT_KINDS.items()))
    number = _text("Số, ký hiệu", max_length=500)
    issuer = _text("Cơ quan ban hành", max_length=500)
    issue_date = VnDateField(label="Ngày ban hành")
    title = _text("Trích yếu", long=True)
    topics = forms.MultipleChoiceField(
        label="Là tài liệu kiểm chứng cho", required=False, widget=forms.CheckboxSelectMultiple
    )
    period = forms.ChoiceField(label="Kỳ báo cáo", required=False, help_text="chỉ với báo cáo định kỳ")
    sent_date = VnDateField(
        label="Ngày gửi", required=False, help_text=f"nếu báo cáo gửi muộn hơn ngày ban hành; {DATE_HELP}"
    )
    locator = _text("Vị trí trong văn bản", required=False, max_length=500, help_text="ví dụ: Mục II, trang 3")
    file = forms.FileField(label="Tệp đính kèm (bản quét)", required=False)
    remove_file = forms.BooleanField(label="Gỡ tệp đính kèm hiện có", required=False)

    def __init__(self, *args, topics: dict, taken_ids: set[str], existing: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from par_score.web.workspace.files import ACCEPT

        self.existing = existing or {}
        self.taken_ids = taken_ids
        self.fields["topics"].choices = [(t, f"{e.code} — {e.leaf.name}") for t, e in topics.items()]
        periods = [("", "—")]
        for entry in topics.values():
            periods += [(p.id, f"{p.name} ({entry.code})") for p in periods_of(entry)]
        self.fields["period"].choices = list(dict.fromkeys(periods))
        if len(periods) == 1:
            del self.fields["period"], self.fields["sent_date"]
        self.fields["file"].widget.attrs["accept"] = ACCEPT
        limit = size_text(settings.MAX_ATTACHMENT_BYTES)
        self.fields["file"].help_text = f"PDF, ảnh PNG/JPEG, Word .docx, Excel .xlsx hoặc .odt; tối đa {limit}"
        if not self.existing.get("file"):
            del self.fields["remove_file"]

    def clean_id(self):
        value = self.cleaned_data.get("id", "").strip()
        if value and value != self.existing.get("id") and value in self.taken_ids:
            raise forms.ValidationError(f"mã văn bản '{value}' đã được dùng; hãy chọn mã khác")
        return value

    def record_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = {
            "id": c["id"] or self.suggested_id(),
            "kind": c["kind"],
            "number": c["number"],
            "issuer": c["issuer"],
            "issue_date": c["issue_date"],
            "title": c["title"],
            "topics": list(c.get("topics") or []),
        }
        for name in ("period", "sent_date", "locator"):
            if c.get(name):
                data[name] = c[name]
        attached = self.existing.get("file")
        if attached and not c.get("remove_file"):
            data["file"] = attached
        self.attached = data.get("file")
        return data

    def suggested_id(self) -> str:
        from par_score.web.workspace.naming import slug

        base = slug(self.cleaned_data["number"], limit=80) or "van-ban"
        candidate, n = base, 1
        while candidate in self.taken_ids:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        initial = dict(data)
        for name in ("issue_date", "sent_date"):
            if data.get(name):
                initial[name] = dt.date.fromisoformat(data[name])
        return initial


class MetricForm(RecordForm):
    section = "metrics"
    FORMS = {"ratio": "Tử số và mẫu số", "percent": "Tỷ lệ (%)", "value": "Giá trị"}

    form = forms.ChoiceField(label="Cách nhập", widget=forms.RadioSelect)
    numerator = NumberField(label="Tử số", required=False)
    denominator = NumberField(label="Mẫu số", required=False)
    percent = NumberField(label="Tỷ lệ (%)", required=False, help_text="ví dụ 97,5 cho 97,5 %")
    value = NumberField(label="Giá trị", required=False)
    period = _text("Kỳ số liệu", required=False, max_length=100, help_text="ví dụ: năm 2024")
    source = _text("Nguồn số liệu", required=False, max_length=500, help_text="hệ thống, báo cáo nguồn")

    def __init__(self, *args, entry, documents: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["documents"] = _documents_field(documents)
        if reads_ratio(entry):
            self.fields["form"].choices = [("ratio", self.FORMS["ratio"]), ("percent", self.FORMS["percent"])]
            del self.fields["value"]
        else:
            self.fields["form"].choices = [("value", self.FORMS["value"])]
            self.fields["form"].widget = forms.HiddenInput()
            for name in ("numerator", "denominator", "percent"):
                del self.fields[name]
        self.fields["form"].initial = self.fields["form"].choices[0][0]

    def clean(self):
        c = self.cleaned_data
        wanted = {"ratio": ("numerator", "denominator"), "percent": ("percent",), "value": ("value",)}
        for name in wanted.get(c.get("form"), ()):
            if c.get(name) is None and name not in self.errors:
                self.add_error(name, "cần nhập số")
        return super().clean()

    def record_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = {"indicator": self.entry.input_key[1]}
        if c["form"] == "ratio":
            data.update(numerator=c["numerator"], denominator=c["denominator"])
        else:
            data[c["form"]] = c[c["form"]]
        for name in ("period", "source"):
            if c.get(name):
                data[name] = c[name]
        if c.get("documents"):
            data["documents"] = list(c["documents"])
        return data

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        initial = dict(data)
        initial["form"] = next((f for f in ("numerator", "percent", "value") if f in data), "numerator")
        initial["form"] = {"numerator": "ratio"}.get(initial["form"], initial["form"])
        for name in ("numerator", "denominator", "percent", "value"):
            if name in data:
                initial[name] = form_text(data[name])
        return initial


class NotApplicableForm(RecordForm):
    section = "not_applicable"
    reason = _text("Lý do không phát sinh", long=True, max_length=2000)

    def __init__(self, *args, entry, documents: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["documents"] = _documents_field(documents)

    def record_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"criterion": self.entry.code, "reason": self.cleaned_data["reason"]}
        if self.cleaned_data.get("documents"):
            data["documents"] = list(self.cleaned_data["documents"])
        return data

    initial_from = classmethod(lambda cls, data: dict(data))


class ExplanationForm(RecordForm):
    section = "explanations"
    text = _text("Giải trình", long=True, max_length=8000)

    def __init__(self, *args, entry, documents: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["documents"] = _documents_field(documents)

    def record_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"criterion": self.entry.code, "text": self.cleaned_data["text"]}
        if self.cleaned_data.get("documents"):
            data["documents"] = list(self.cleaned_data["documents"])
        return data

    initial_from = classmethod(lambda cls, data: dict(data))


class SurveyForm(RecordForm):
    section = "survey"
    form = forms.ChoiceField(
        label="Cách nhập", widget=forms.RadioSelect, choices=[("percent", "Tỷ lệ (%)"), ("answers", "Số phiếu")]
    )
    percent = NumberField(label="Tỷ lệ (%)", required=False)
    source = _text("Nguồn", required=False, max_length=500, help_text="ví dụ: SIPAS 2023 do Bộ Nội vụ công bố")

    def __init__(self, *args, entry, answers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.answers = answers
        for answer in answers:
            self.fields[f"answer_{answer}"] = forms.IntegerField(
                label=f"Số phiếu {answer}", required=False, min_value=0, max_value=10**9
            )
        self.fields["form"].initial = "percent"

    def record_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = {"item": self.entry.input_key[1]}
        if c["form"] == "percent":
            data["percent"] = c.get("percent")
        else:
            data["answers"] = {a: c[f"answer_{a}"] for a in self.answers if c.get(f"answer_{a}") is not None}
        if c.get("source"):
            data["source"] = c["source"]
        return data

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        initial = {"form": "answers" if "answers" in data else "percent", "source": data.get("source", "")}
        if "percent" in data:
            initial["percent"] = form_text(data["percent"])
        for answer, count in (data.get("answers") or {}).items():
            initial[f"answer_{answer}"] = count
        return initial


FORMS = {
    "documents": DocumentForm,
    "metrics": MetricForm,
    "not_applicable": NotApplicableForm,
    "explanations": ExplanationForm,
    "survey": SurveyForm,
}


# ---- uploads, accounts, campaign -----------------------------------------------------------------------------
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
    deadline = VnDateField(label="Hạn nộp của các cơ quan", help_text=f"hết ngày này thì khóa tự động; {DATE_HELP}")

    def __init__(self, *args, catalogues: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue"].choices = [("", "—")] + [(c, c) for c in catalogues]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("catalogue") and not cleaned.get("catalogue_file"):
            self.add_error("catalogue", "chọn một danh mục có sẵn hoặc tải lên tệp danh mục")
        return cleaned


class CampaignSettingsForm(forms.Form):
    """The campaign's own fields an administrator edits after creating it: name, deadline, the report's letter."""

    name = _text("Tên chiến dịch", max_length=200)
    deadline = VnDateField(label="Hạn nộp của các cơ quan")
    number = _text("Số báo cáo", required=False, max_length=100, help_text="ví dụ: 25/BC-UBND")
    date = VnDateField(label="Ngày báo cáo", required=False)
    place = _text("Địa danh", required=False, max_length=100)
    issuing_body = _text("Cơ quan ban hành báo cáo", required=False, max_length=300)
    signer_authority = _text("Thẩm quyền ký", required=False, max_length=200, help_text="ví dụ: TM. ỦY BAN NHÂN DÂN")
    signer_delegation = _text("Ký thay", required=False, max_length=200, help_text="ví dụ: KT. CHỦ TỊCH")
    signer_title = _text("Chức vụ người ký", required=False, max_length=200, help_text="ví dụ: PHÓ CHỦ TỊCH")
    signer_name = _text("Họ tên người ký", required=False, max_length=200)
    recipients = _text("Nơi nhận", required=False, long=True, max_length=4000, help_text="mỗi dòng một nơi nhận")
    difficulties = _text("Khó khăn, vướng mắc", required=False, long=True, max_length=20000, help_text="mỗi dòng một ý")
    proposals = _text("Kiến nghị, đề xuất", required=False, long=True, max_length=20000, help_text="mỗi dòng một ý")
    version = forms.IntegerField(widget=forms.HiddenInput)

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
        try:
            info = ReportInfo.model_validate(report)
        except ValidationError as exc:
            names = {"signer.authority": "signer_authority", "signer.delegation": "signer_delegation"}
            names |= {"signer.title": "signer_title", "signer.name": "signer_name"}
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
        return {
            "name": campaign.name,
            "deadline": timezone.localtime(campaign.deadline).date(),
            "number": report.get("number", ""),
            "date": dt.date.fromisoformat(report["date"]) if report.get("date") else None,
            "place": report.get("place", ""),
            "issuing_body": report.get("issuing_body", ""),
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
        label="Vai trò", choices=[("agency", "Cán bộ cơ quan (nhập tài liệu)"), ("auditor", "Kiểm tra viên (chỉ đọc)")]
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
        if cleaned.get("role") == "auditor":
            cleaned["agency"] = ""
        return cleaned


class ReopenForm(forms.Form):
    extended_until = VnDateField(
        label="Gia hạn đến hết ngày", required=False, help_text=f"để trống nếu hạn chung chưa qua; {DATE_HELP}"
    )
