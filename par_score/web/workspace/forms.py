"""Forms generated from the catalogue for an agency's criteria (and for what the administrator enters); each builds
one evidence record and validates it with par_score's own evidence model (the checks against the catalogue follow in
records.save_record). Numbers are read by par_score.numbers.read_number, as in every evidence file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from pydantic import ValidationError

from par_score.errors import Problem
from par_score.evidence.model import DOCUMENT_KINDS
from par_score.evidence.parts import validate_record
from par_score.io.validation import problems_from
from par_score.numbers import NumberError, StatedPercent, read_number, unambiguous_text
from par_score.vocabulary import Combine
from par_score.web.workspace import codec
from par_score.web.workspace.catalogues import periods_of, reads_ratio
from par_score.web.workspace.files import size_text
from par_score.web.workspace.widgets import CheckboxList

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_HELP = "ngày/tháng/năm, ví dụ 25/12/2023"
FORM_FIELDS = {"file.path": "file", "file.sha256": "file", "file": "file"}


class NumberField(forms.CharField):
    """A number typed the way people write it, read by par_score.numbers.read_number (the reader of every evidence
    file and workbook): "12,5", "10.120.000", "1.234,5"; a text that reads two ways is refused naming both.
    `percent`: a percentage field ("97,5 %" allowed; a stated "%" keeps 0,85 % from being read as a fraction);
    `whole`: whole numbers only (which settles "1.234")."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, percent: bool = False, whole: bool = False, **kwargs):
        self.percent, self.whole = percent, whole
        super().__init__(**kwargs)  # read_number bounds the length of the text itself

    def to_python(self, value: Any) -> Decimal | StatedPercent | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            read = read_number(text, percent=self.percent, whole=self.whole)
        except NumberError as exc:
            raise forms.ValidationError(str(exc)) from None
        return StatedPercent(read.value) if read.percent_sign else read.value


def form_text(value: Decimal | str | int | None) -> str:
    """A stored number as a form shows it again: written so that it reads back one way only."""
    if value is None or value == "":
        return ""
    return unambiguous_text(Decimal(str(value)))


class VnDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("help_text", DATE_HELP)
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
        kwargs.setdefault("error_messages", {"invalid": f"ngày không hợp lệ; viết theo {DATE_HELP}"})
        super().__init__(**kwargs)


def text_field(
    label: str, *, required: bool = True, long: bool = False, max_length: int = 1000, **kwargs
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget, **kwargs)


_text = text_field


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
        widget=CheckboxList,
        help_text="các văn bản của cơ quan đã nhập ở mục Văn bản" if choices else "cơ quan chưa nhập văn bản nào",
    )


def _with_documents(data: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
    if cleaned.get("documents"):
        data["documents"] = list(cleaned["documents"])
    return data


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
    topics = forms.MultipleChoiceField(label="Là tài liệu kiểm chứng cho", required=False, widget=CheckboxList)
    period = forms.ChoiceField(label="Kỳ báo cáo", required=False, help_text="chỉ với báo cáo định kỳ")
    sent_date = VnDateField(
        label="Ngày gửi", required=False, help_text=f"nếu báo cáo gửi muộn hơn ngày ban hành; {DATE_HELP}"
    )
    locator = _text("Vị trí trong văn bản", required=False, max_length=500, help_text="ví dụ: Mục II, trang 3")
    file = forms.FileField(label="Tệp đính kèm (bản quét)", required=False)
    remove_file = forms.BooleanField(label="Gỡ tệp đính kèm hiện có", required=False)

    def __init__(
        self, *args, topics: dict, taken_ids: set[str], agency: str = "", existing: dict | None = None, **kwargs
    ):
        """`topics`: topic → the input use that reads it (an agency's leaves, or the items the administrator
        enters); `agency`: recorded as the document's contributor where the catalogue needs each responsible
        agency's own document (combine: all_of)."""
        super().__init__(*args, **kwargs)
        from par_score.web.workspace.files import ACCEPT

        self.existing = existing or {}
        self.taken_ids = taken_ids
        self.agency = agency
        self.uses = topics
        self.fields["topics"].choices = [(t, f"{use.code} — {_owner_name(use)}") for t, use in topics.items()]
        periods = [("", "—")]
        for use in topics.values():
            periods += [(p.id, f"{p.name} ({use.code})") for p in periods_of(use)]
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
        contributors = list(self.existing.get("contributors") or [])
        each_agency = any(getattr(self.uses[t].given, "combine", None) == Combine.ALL_OF for t in data["topics"])
        if self.agency and each_agency and self.agency not in contributors:
            contributors.append(self.agency)
        if contributors:
            data["contributors"] = contributors
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


def _owner_name(use) -> str:
    owner = use.owner
    return owner.leaf.name if hasattr(owner, "leaf") else owner.name


class FigureForm(RecordForm):
    """A figure read like an indicator: numerator and denominator, a percent, or a value (as its input reads it)."""

    key_field = ""
    FORMS = {"ratio": "Tử số và mẫu số", "percent": "Tỷ lệ (%)", "value": "Giá trị"}

    form = forms.ChoiceField(label="Cách nhập", widget=forms.RadioSelect)
    numerator = NumberField(label="Tử số", required=False)
    denominator = NumberField(label="Mẫu số", required=False)
    percent = NumberField(label="Tỷ lệ (%)", required=False, percent=True, help_text="ví dụ 97,5 cho 97,5 %")
    value = NumberField(label="Giá trị", required=False)
    period = _text("Kỳ số liệu", required=False, max_length=100, help_text="ví dụ: năm 2024")
    source = _text("Nguồn số liệu", required=False, max_length=500, help_text="hệ thống, báo cáo nguồn")

    def __init__(self, *args, use, documents: list[tuple[str, str]], summed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.use = use
        self.fields["documents"] = _documents_field(documents)
        counts = getattr(use.given, "figures", "amount") == "count"
        for name in ("numerator", "denominator"):
            self.fields[name].whole = counts
        if counts:
            self.fields["numerator"].help_text = "số nguyên (đếm số văn bản, hồ sơ…)"
        if reads_ratio(use):
            shapes = ["ratio"] if summed else ["ratio", "percent"]  # a percent cannot be summed
            del self.fields["value"]
        else:
            shapes = ["value"]
            for name in ("numerator", "denominator", "percent"):
                del self.fields[name]
        self.fields["form"].choices = [(shape, self.FORMS[shape]) for shape in shapes]
        if len(shapes) == 1:
            self.fields["form"].widget = forms.HiddenInput()
        self.fields["form"].initial = shapes[0]

    def clean(self):
        c = self.cleaned_data
        wanted = {"ratio": ("numerator", "denominator"), "percent": ("percent",), "value": ("value",)}
        for name in wanted.get(c.get("form"), ()):
            if c.get(name) is None and name not in self.errors:
                self.add_error(name, "cần nhập số")
        return super().clean()

    def figure_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = {self.key_field: self.use.key[1]}
        if c["form"] == "ratio":
            data.update(numerator=c["numerator"], denominator=c["denominator"])
        else:
            data[c["form"]] = c[c["form"]]
        for name in ("period", "source"):
            if c.get(name):
                data[name] = c[name]
        return _with_documents(data, c)

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        initial = dict(data)
        shape = next((f for f in ("numerator", "percent", "value") if f in data), "numerator")
        initial["form"] = {"numerator": "ratio"}.get(shape, shape)
        for name in ("numerator", "denominator", "percent", "value"):
            if name in data:
                initial[name] = form_text(data[name])
        return initial


class MetricForm(FigureForm):
    """An indicator's figure. Where the catalogue sums the figures of several agencies (combine: sum) this is the
    agency's own contribution, recorded with the agency as its contributor."""

    section = "metrics"
    key_field = "indicator"

    def __init__(self, *args, use, documents, contributor: str | None = None, **kwargs):
        super().__init__(*args, use=use, documents=documents, summed=contributor is not None, **kwargs)
        self.contributor = contributor
        if contributor is not None:
            self.fields[
                "form"
            ].help_text = f"chỉ số cộng dồn từ các cơ quan: nhập số liệu của riêng {contributor} (tử số, mẫu số)"

    def record_data(self) -> dict[str, Any]:
        data = self.figure_data()
        if self.contributor is not None:
            data["contributor"] = self.contributor
        return data


class StatisticForm(FigureForm):
    """A statistic supplied by an outside body (source: statistics), entered by the Sở Nội vụ administrator."""

    section = "statistics"
    key_field = "statistic"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].help_text = "cơ quan cung cấp và văn bản, ấn phẩm công bố số liệu"

    def record_data(self) -> dict[str, Any]:
        return self.figure_data()


class NotApplicableForm(RecordForm):
    section = "not_applicable"
    reason = _text("Lý do không phát sinh", long=True, max_length=2000)

    def __init__(self, *args, entry, documents: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["documents"] = _documents_field(documents)

    def record_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"criterion": self.entry.code, "reason": self.cleaned_data["reason"]}
        return _with_documents(data, self.cleaned_data)

    initial_from = classmethod(lambda cls, data: dict(data))


class NotAchievedForm(RecordForm):
    """Không đạt: the unit declares that the document a criterion asks for was not issued (or, for a periodic
    report, that the report of a period was not sent): 0 points, without a missing-evidence explanation."""

    section = "not_achieved"
    topic = forms.ChoiceField(label="Văn bản không ban hành")
    period = forms.ChoiceField(
        label="Kỳ báo cáo không gửi", required=False, help_text="để trống: không gửi báo cáo nào trong năm"
    )
    note = _text("Ghi chú", required=False, long=True, max_length=2000, help_text="lý do, hoàn cảnh")

    def __init__(self, *args, uses: list, documents: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(u.key[1], f"{u.code} — {_owner_name(u)}") for u in uses]
        if len(uses) == 1:
            self.fields["topic"].widget = forms.HiddenInput()
            self.fields["topic"].initial = uses[0].key[1]
        periods = [(p.id, p.name) for u in uses for p in periods_of(u)]
        if periods:
            self.fields["period"].choices = [("", "— cả năm —"), *dict.fromkeys(periods)]
        else:
            del self.fields["period"]
        self.fields["documents"] = _documents_field(documents)

    def record_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = {"topic": c["topic"]}
        for name in ("period", "note"):
            if c.get(name):
                data[name] = c[name]
        return _with_documents(data, c)

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
        return _with_documents(data, self.cleaned_data)

    initial_from = classmethod(lambda cls, data: dict(data))


class SurveyForm(RecordForm):
    section = "survey"
    form = forms.ChoiceField(
        label="Cách nhập", widget=forms.RadioSelect, choices=[("percent", "Tỷ lệ (%)"), ("answers", "Số phiếu")]
    )
    percent = NumberField(label="Tỷ lệ (%)", required=False, percent=True)
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
    "not_achieved": NotAchievedForm,
    "explanations": ExplanationForm,
    "survey": SurveyForm,
    "statistics": StatisticForm,
}
