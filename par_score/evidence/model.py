"""Evidence records (tài liệu kiểm chứng) as pydantic models: what one unit submits for one year."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from par_score.errors import Problem
from par_score.numbers import to_decimal

MAX_INTEGER_DIGITS = 15  # figures in evidence stay below 10^15 …
MAX_DECIMAL_PLACES = 20  # … with at most 20 decimal places (a spreadsheet float has at most 17 significant digits)


def evidence_number(value: object) -> Decimal:
    """An exact Decimal of sane size: an absurd exponent (1e999999, 1e-999999999) is refused, never computed with."""
    number = to_decimal(value)
    if number.adjusted() >= MAX_INTEGER_DIGITS:
        raise ValueError(f"số quá lớn (tối đa {MAX_INTEGER_DIGITS} chữ số phần nguyên)")
    if number.as_tuple().exponent < -MAX_DECIMAL_PLACES:  # type: ignore[operator]
        raise ValueError(f"số có quá nhiều chữ số thập phân (tối đa {MAX_DECIMAL_PLACES})")
    return number


Dec = Annotated[Decimal, BeforeValidator(evidence_number)]
NonNegative = Annotated[Decimal, BeforeValidator(evidence_number), Field(ge=0)]
RecordId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=120)]
Code = Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)*$", max_length=40)]
Text = Annotated[str, Field(max_length=4000)]
ShortText = Annotated[str, Field(min_length=1, max_length=500)]

DOCUMENT_KINDS = {
    "ke_hoach": "Kế hoạch",
    "quyet_dinh": "Quyết định",
    "bao_cao": "Báo cáo",
    "cong_van": "Công văn",
    "quy_che": "Quy chế",
    "nghi_quyet": "Nghị quyết",
    "thong_bao": "Thông báo",
    "chi_thi": "Chỉ thị",
    "van_ban_khac": "Văn bản khác",
    "he_thong": "Hệ thống thông tin (minh chứng vận hành)",
}
DocumentKind = Literal[
    "ke_hoach",
    "quyet_dinh",
    "bao_cao",
    "cong_van",
    "quy_che",
    "nghi_quyet",
    "thong_bao",
    "chi_thi",
    "van_ban_khac",
    "he_thong",
]


def _text_number(value: object) -> object:
    """A document number typed as a bare integer in YAML (`number: 15`) is still a document number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _strict_date(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise ValueError("phải là ngày (YYYY-MM-DD), không kèm giờ")
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        raise ValueError("phải là ngày (YYYY-MM-DD)")
    return value


StrictDate = Annotated[dt.date, BeforeValidator(_strict_date)]


# Markup and template syntax are refused in every text field (the report escapes them anyway: defence in depth).
# Refused: "<" immediately followed by a letter of any script, "/", "!", "?" or "%" (a tag, closing tag, comment,
# doctype, processing instruction, ERB/JSP tag: "<b", "</b", "<!--", "<?xml", "<%="), and the template openers
# "{{", "{%", "{#" (jinja2, Django, Liquid, Handlebars…) and "${" (shell, JavaScript, Mako). Still accepted: "<"
# followed by a space, a digit or a sign ("tỷ lệ < 80 %", "a < b", "<5 %", "<=", "<-"), ">" alone, single braces
# ("{ }", "{x}"), "%" and "$" elsewhere, and HTML entities such as "&amp;" (printed as typed).
MARKUP = re.compile(r"<(?:[^\W\d_]|[/!?%])|\{[{%#]|\$\{")
_SHOWN = re.compile(r"<[/!?%]?[\w:.-]{0,20}|\{[{%#]|\$\{")


def markup_problem(value: object) -> str | None:
    """The Vietnamese reason a text (or a list/dict of texts) is refused for markup or template syntax, else None."""
    if isinstance(value, str):
        found = MARKUP.search(value)
        if found is None:
            return None
        shown = _SHOWN.match(value, found.start())
        fragment = shown.group(0) if shown else found.group(0)
        hint = "; nếu '<' là dấu so sánh, hãy viết cách ra: 'a < b'" if fragment[1:2].isalpha() else ""
        return (
            f"chứa thẻ HTML hoặc cú pháp mẫu (template) '{fragment}' — không được phép trong tài liệu kiểm chứng; "
            f"hãy bỏ định dạng{hint}"
        )
    if isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            problem = markup_problem(item)
            if problem:
                return f"mục thứ {position + 1} {problem}"
    if isinstance(value, dict):
        for key, item in value.items():
            problem = markup_problem(key) or markup_problem(item)
            if problem:
                return f"mục '{key}' {problem}"
    return None


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    # Fields filled in by the loader, not typed by a person (e.g. the bundle's own paths): exempt from the text check.
    loader_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_markup(cls, value: Any, info: ValidationInfo) -> Any:
        """One check for every text field of every record, present and future: no HTML/XML markup, no template code."""
        if isinstance(value, (str, list, tuple, dict)) and info.field_name not in cls.loader_fields:
            problem = markup_problem(value)
            if problem:
                raise ValueError(problem)
        return value


class Unit(_Record):
    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=80)]
    name: ShortText
    level: Literal["tinh", "so", "huyen", "xa"] = "tinh"


class AttachedFile(_Record):
    path: ShortText
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None


class Document(_Record):
    id: RecordId
    kind: DocumentKind
    number: Annotated[ShortText, BeforeValidator(_text_number)]
    issuer: ShortText
    issue_date: StrictDate
    title: Annotated[str, Field(min_length=1, max_length=1000)]
    topics: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]] = Field(default_factory=list)
    period: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")] | None = None
    sent_date: StrictDate | None = None  # ngày gửi: when a periodic report was sent, if not on its issue date
    locator: Annotated[str, Field(max_length=500)] | None = None
    file: AttachedFile | None = None

    @model_validator(mode="after")
    def _sent_after_issue(self) -> Document:
        if self.sent_date is not None and self.sent_date < self.issue_date:
            raise ValueError("ngày gửi (sent_date) không được trước ngày ban hành (issue_date)")
        return self

    @property
    def delivered(self) -> dt.date:
        """When the document reached its recipient: the sent date if given, else the issue date."""
        return self.sent_date or self.issue_date


class Metric(_Record):
    indicator: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]
    numerator: NonNegative | None = None
    denominator: NonNegative | None = None
    percent: NonNegative | None = None
    value: Dec | None = None
    period: Annotated[str, Field(max_length=100)] | None = None
    source: Annotated[str, Field(max_length=500)] = ""
    documents: list[RecordId] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_form(self) -> Metric:
        has_ratio = self.numerator is not None or self.denominator is not None
        forms = sum([has_ratio, self.percent is not None, self.value is not None])
        if forms != 1:
            raise ValueError("cần đúng một dạng số liệu: numerator + denominator, hoặc percent, hoặc value")
        if has_ratio and (self.numerator is None or self.denominator is None):
            raise ValueError("cần cả tử số (numerator) và mẫu số (denominator)")
        return self

    @property
    def form(self) -> str:
        if self.numerator is not None:
            return "ratio"
        if self.percent is not None:
            return "percent"
        return "value"


class NotApplicable(_Record):
    criterion: Code
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    documents: list[RecordId] = Field(default_factory=list)


class SurveyResult(_Record):
    item: Code
    percent: Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=100)] | None = None
    answers: (
        dict[Annotated[str, Field(pattern=r"^[A-Z]$")], Annotated[int, Field(ge=0, le=10**9, strict=True)]] | None
    ) = None
    source: Annotated[str, Field(max_length=500)] = ""

    @model_validator(mode="after")
    def _one_form(self) -> SurveyResult:
        if (self.percent is None) == (self.answers is None):
            raise ValueError("cần đúng một dạng: percent hoặc answers")
        if self.answers is not None and sum(self.answers.values()) == 0:
            raise ValueError("tổng số phiếu trả lời phải lớn hơn 0")
        return self


class Explanation(_Record):
    criterion: Code
    text: Annotated[str, Field(min_length=1, max_length=8000)]
    documents: list[RecordId] = Field(default_factory=list)


class Signer(_Record):
    authority: Annotated[str, Field(max_length=200)] = "TM. ỦY BAN NHÂN DÂN"
    delegation: Annotated[str, Field(max_length=200)] | None = "KT. CHỦ TỊCH"
    title: Annotated[str, Field(max_length=200)] = "PHÓ CHỦ TỊCH"
    name: Annotated[str, Field(max_length=200)] = ""


def _lines(value: object) -> object:
    """An issuing body given as one string is one line (a line break in it starts another); a list gives the lines."""
    if value is None:
        return []
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    return value


BodyLine = Annotated[str, Field(min_length=1, max_length=300)]
BodyLines = Annotated[list[BodyLine], BeforeValidator(_lines), Field(max_length=4)]
Recipient = Annotated[str, Field(max_length=300)]


class Guidance(_Record):
    """The Bộ Nội vụ letter (Công văn) that asked for the report: cited in the letter's opening sentence."""

    number: Annotated[str, Field(min_length=1, max_length=100)]
    date: StrictDate
    subject: Annotated[str, Field(max_length=500)] = ""  # "về việc hướng dẫn tự đánh giá, chấm điểm …" (optional)


class AppraisalLetter(_Record):
    """The document made after thẩm định (báo cáo tiếp thu, giải trình kết quả thẩm định): its own number, date and
    recipient; the signer, the Nơi nhận and the issuing body default to those of the report section."""

    number: Annotated[str, Field(max_length=100)] = ""
    date: StrictDate | None = None
    recipient: Annotated[str, Field(min_length=1, max_length=300)] = "Bộ Nội vụ"
    issuing_body: BodyLines = Field(default_factory=list)
    parent_body: BodyLines = Field(default_factory=list)
    signer: Signer | None = None
    recipients: list[Recipient] = Field(default_factory=list)
    proposals: list[Text] = Field(default_factory=list)


class ReportInfo(_Record):
    number: Annotated[str, Field(max_length=100)] = ""
    date: StrictDate | None = None
    place: Annotated[str, Field(max_length=100)] = ""
    issuing_body: BodyLines = Field(default_factory=list)
    parent_body: BodyLines = Field(default_factory=list)
    recipient: Annotated[str, Field(min_length=1, max_length=300)] = "Bộ Nội vụ"
    guidance: Guidance | None = None
    signer: Signer = Field(default_factory=Signer)
    recipients: list[Recipient] = Field(default_factory=list)
    difficulties: list[Text] = Field(default_factory=list)
    proposals: list[Text] = Field(default_factory=list)
    appraisal: AppraisalLetter | None = None


class BundlePart(_Record):
    """What one evidence file holds; a folder bundle merges several parts."""

    format: Literal["par-score/evidence@1"] | None = None
    unit: Unit | None = None
    year: Annotated[int, Field(ge=2000, le=2100, strict=True)] | None = None
    catalogue: Annotated[str, Field(max_length=200)] | None = None
    documents: list[Document] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    not_applicable: list[NotApplicable] = Field(default_factory=list)
    survey: list[SurveyResult] = Field(default_factory=list)
    explanations: list[Explanation] = Field(default_factory=list)
    report: ReportInfo | None = None


SECTIONS = ("documents", "metrics", "not_applicable", "survey", "explanations")


class Origin(BaseModel):
    """Where a record came from: the file and its position in that file's section.

    A workbook row also carries its own label (`record`: "Sheet 'Số liệu', dòng 14") and the column header of each
    field (`fields`: {"denominator": "Mẫu số"}), so that checks name the sheet, row and column.
    """

    model_config = ConfigDict(frozen=True)
    file: str
    section: str
    index: int
    record: str | None = None
    fields: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class LoadProblem:
    """A problem of one record (or of the file's header) found while loading; the record is left out of the bundle.

    A lenient load keeps these on the bundle so that check_bundle reports them with its own problems, in one round.
    """

    origin: Origin  # where: file, section ("header", "report" or a record section) and position in the file
    problem: Problem
    record_id: str | None = None  # a document left out keeps its id: references to it are not reported as missing


class Bundle(_Record):
    unit: Unit
    year: int
    catalogue: str | None = None
    documents: list[Document] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    not_applicable: list[NotApplicable] = Field(default_factory=list)
    survey: list[SurveyResult] = Field(default_factory=list)
    explanations: list[Explanation] = Field(default_factory=list)
    report: ReportInfo | None = None
    files: list[str] = Field(default_factory=list)
    root: str = ""
    loader_fields: ClassVar[frozenset[str]] = frozenset({"files", "root"})

    _origins: dict[tuple[str, int], Origin] = PrivateAttr(default_factory=dict)
    _header_origins: dict[str, Origin] = PrivateAttr(default_factory=dict)  # "year", "unit.level", … (workbooks)
    _load_problems: list[LoadProblem] = PrivateAttr(default_factory=list)  # records left out by a lenient load

    def attach_provenance(
        self,
        origins: dict[tuple[str, int], Origin],
        header_origins: dict[str, Origin] | None = None,
        load_problems: list[LoadProblem] | None = None,
    ) -> None:
        """Record where each record came from, and the problems of the records a lenient load left out (the loader
        calls this once, right after building the bundle)."""
        self._origins = origins
        self._header_origins = dict(header_origins or {})
        self._load_problems = list(load_problems or [])

    @property
    def load_problems(self) -> list[LoadProblem]:
        """Problems of the records a lenient load left out: a bundle that has any is never scored."""
        return list(self._load_problems)

    def header_origin(self, field: str) -> Origin | None:
        """Where a header field ("year", "unit.level", …) was read, when a workbook says so."""
        return self._header_origins.get(field)

    def origin(self, section: str, index: int) -> Origin:
        return self._origins.get(
            (section, index), Origin(file=self.files[0] if self.files else "", section=section, index=index)
        )

    def documents_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}
