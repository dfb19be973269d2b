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
from par_score.evidence.wording import field_word
from par_score.io import formats
from par_score.numbers import StatedPercent, bounded_decimal, read_number, to_decimal, vn

MAX_INTEGER_DIGITS = 15  # figures in evidence stay below 10^15 …
MAX_DECIMAL_PLACES = 20  # … with at most 20 decimal places (a spreadsheet float has at most 17 significant digits)


def evidence_number(value: object) -> Decimal:
    """An exact Decimal of sane size: an absurd exponent (1e999999, 1e-999999999) is refused, never computed with.
    Text is read as people write numbers (numbers.read_number: "10.120", "97,5"; what reads two ways is refused)."""
    number = read_number(value).value if isinstance(value, str) else to_decimal(value)
    return _bounded(number)


def _bounded(number: Decimal) -> Decimal:
    return bounded_decimal(number, integer_digits=MAX_INTEGER_DIGITS, places=MAX_DECIMAL_PLACES)


def evidence_percent(value: object) -> Decimal:
    """A percentage (97,5 for 97,5 %). "85%" is read as 85. A bare number from 0 to 1 (0.85, 1) reads two ways — a
    fraction typed for 85 % or 0,85 % itself — and is refused unless its unit is stated: a "%" sign ("0,85 %") or a
    workbook cell formatted as a percentage."""
    stated = isinstance(value, StatedPercent)
    if stated:
        number = to_decimal(value.value)
    elif isinstance(value, str):
        read = read_number(value, percent=True)
        number, stated = read.value, read.percent_sign
    else:
        number = to_decimal(value)
    number = _bounded(number)
    if not stated and 0 < number <= 1:
        raise ValueError(
            f"tỷ lệ {vn(number)} đọc được hai cách: {vn(number * 100)} % (nhập dạng phân số) hoặc {vn(number)} %; "
            f"không đoán — {field_word('percent')} nhập phần trăm: {vn(number * 100)} cho {vn(number * 100)} %; nếu "
            f"đúng là {vn(number)} %, hãy ghi kèm dấu %: '{vn(number)} %'"
        )
    return number


def _last_year_number(value: object) -> Decimal:
    """Last year's figure: a percentage when written with "%" ("85 %"), else a number like any other."""
    if isinstance(value, str):
        return _bounded(read_number(value, percent=value.strip().endswith("%")).value)
    return evidence_number(value)


Dec = Annotated[Decimal, BeforeValidator(evidence_number)]
LastYear = Annotated[Decimal, BeforeValidator(_last_year_number)]
NonNegative = Annotated[Decimal, BeforeValidator(evidence_number), Field(ge=0)]
Percent = Annotated[Decimal, BeforeValidator(evidence_percent), Field(ge=0)]
RecordId = Annotated[str, Field(pattern=formats.RECORD_ID.pattern, max_length=120)]
Code = Annotated[str, Field(pattern=formats.CODE.pattern, max_length=40)]
Topic = Annotated[str, Field(pattern=formats.IDENTIFIER.pattern)]
Contributor = Annotated[str, Field(min_length=1, max_length=200)]
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


# Control characters are refused in every text field: C0 (but newline and tab in the long texts that may hold several
# lines), DEL and C1; and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
# reverse or reorder what follows them on a screen or in the report. Shown by code point and position.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BIDI_NAMES = {
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}


def control_problem(value: object, *, lines: bool = False) -> str | None:
    """The Vietnamese reason a text (or a list/dict of texts) is refused for a control or bidirectional character,
    else None. `lines`: newline and tab are allowed (a long text of several lines)."""
    if isinstance(value, str):
        found = (_CONTROL_IN_LINES if lines else _CONTROL).search(value)
        if found is None:
            return None
        char = found.group()
        where = f"ở vị trí {found.start() + 1}"
        if char in _BIDI_NAMES:
            return (
                f"chứa ký tự điều khiển hướng chữ U+{ord(char):04X} ({_BIDI_NAMES[char]}) {where} — làm đảo hoặc xáo "
                "trộn thứ tự chữ khi hiển thị, không được phép; hãy xóa ký tự này"
            )
        allowed = "" if lines or char not in "\n\t" else " (trường này chỉ được một dòng)"
        return f"chứa ký tự điều khiển U+{ord(char):04X} {where}{allowed} — không được phép; hãy xóa ký tự này"
    if isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            problem = control_problem(item, lines=lines)
            if problem:
                return f"mục thứ {position + 1} {problem}"
    if isinstance(value, dict):
        for key, item in value.items():
            problem = control_problem(key) or control_problem(item, lines=lines)
            if problem:
                return f"mục '{key}' {problem}"
    return None


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    # Fields filled in by the loader, not typed by a person (e.g. the bundle's own paths): exempt from the text check.
    loader_fields: ClassVar[frozenset[str]] = frozenset()
    # Long texts that may hold several lines: newline and tab allowed there.
    multiline_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_markup(cls, value: Any, info: ValidationInfo) -> Any:
        """One check for every text field of every record, present and future: no HTML/XML markup, no template
        code, no control or bidirectional characters."""
        if isinstance(value, (str, list, tuple, dict)) and info.field_name not in cls.loader_fields:
            problem = control_problem(value, lines=info.field_name in cls.multiline_fields) or markup_problem(value)
            if problem:
                raise ValueError(problem)
        return value


Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=60)]


class Unit(_Record):
    code: Annotated[str, Field(pattern=formats.UNIT_CODE.pattern, max_length=80)]
    name: ShortText
    level: Literal["tinh", "so", "huyen", "xa"] = "tinh"
    profile: Slug | None = None  # the unit's kind (loại đơn vị) in a catalogue with profiles
    cluster: Slug | None = None  # its ranking cluster (khối), when its profile does not decide it


class AttachedFile(_Record):
    path: ShortText
    sha256: Annotated[str, Field(pattern=formats.SHA256.pattern)] | None = None


class Document(_Record):
    id: RecordId
    kind: DocumentKind
    number: Annotated[ShortText, BeforeValidator(_text_number)]
    issuer: ShortText
    issue_date: StrictDate
    title: Annotated[str, Field(min_length=1, max_length=1000)]
    topics: list[Topic] = Field(default_factory=list)
    period: Topic | None = None
    sent_date: StrictDate | None = None  # ngày gửi: when a periodic report was sent, if not on its issue date
    locator: Annotated[str, Field(max_length=500)] | None = None
    file: AttachedFile | None = None
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"title"})
    # Who submitted it (agencies or units); several when a co-signed document came from each of them.
    contributors: list[Contributor] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _sent_after_issue(self) -> Document:
        if self.sent_date is not None and self.sent_date < self.issue_date:
            raise ValueError(f"{field_word('sent_date')} không được trước {field_word('issue_date')}")
        return self

    @property
    def delivered(self) -> dt.date:
        """When the document reached its recipient: the sent date if given, else the issue date."""
        return self.sent_date or self.issue_date


class _Figure(_Record):
    """A figure in exactly one form: numerator + denominator (ratio), percent, or value. Its subclasses declare the
    fields (numerator, denominator, percent, value), each in the order its files are written."""

    @model_validator(mode="after")
    def _one_form(self) -> _Figure:
        has_ratio = self.numerator is not None or self.denominator is not None
        forms = sum([has_ratio, self.percent is not None, self.value is not None])
        if forms != 1:
            raise ValueError(
                f"cần đúng một dạng số liệu: {field_word('numerator')} + {field_word('denominator')}, hoặc "
                f"{field_word('percent')}, hoặc {field_word('value')}"
            )
        if has_ratio and (self.numerator is None or self.denominator is None):
            raise ValueError(f"cần cả {field_word('numerator')} và {field_word('denominator')}")
        return self

    @property
    def form(self) -> str:
        if self.numerator is not None:
            return "ratio"
        if self.percent is not None:
            return "percent"
        return "value"


class Metric(_Figure):
    indicator: Topic
    numerator: NonNegative | None = None
    denominator: NonNegative | None = None
    percent: Percent | None = None
    value: Dec | None = None
    period: Annotated[str, Field(max_length=100)] | None = None
    source: Annotated[str, Field(max_length=500)] = ""
    documents: list[RecordId] = Field(default_factory=list)
    contributor: Contributor | None = None  # the agency or unit this figure comes from (one contribution of a sum)
    origin: Annotated[str, Field(max_length=500)] | None = None  # where `par-score merge` read it: file, sheet, row
    last_year: LastYear | None = None  # the previous year's figure (a percent for a ratio): a plausibility hint


class Statistic(_Figure):
    """A figure supplied by an outside body for a statistics criterion (source: statistics), read like an indicator."""

    statistic: Topic
    numerator: NonNegative | None = None
    denominator: NonNegative | None = None
    percent: Percent | None = None
    value: Dec | None = None
    period: Annotated[str, Field(max_length=100)] | None = None
    source: Annotated[str, Field(max_length=500)] = ""  # the body and the publication the figure comes from
    documents: list[RecordId] = Field(default_factory=list)


class NotApplicable(_Record):
    criterion: Code
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    documents: list[RecordId] = Field(default_factory=list)
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"reason"})


class SurveyResult(_Record):
    item: Code
    percent: Annotated[Decimal, BeforeValidator(evidence_percent), Field(ge=0, le=100)] | None = None
    answers: (
        dict[
            Annotated[str, Field(pattern=formats.ANSWER_LETTER.pattern)],
            Annotated[int, Field(ge=0, le=10**9, strict=True)],
        ]
        | None
    ) = None
    source: Annotated[str, Field(max_length=500)] = ""

    @model_validator(mode="after")
    def _one_form(self) -> SurveyResult:
        if (self.percent is None) == (self.answers is None):
            raise ValueError("cần đúng một dạng: percent hoặc answers")
        if self.answers is not None and sum(self.answers.values()) == 0:
            raise ValueError("tổng số phiếu trả lời phải lớn hơn 0")
        return self


class NotAchieved(_Record):
    """Không đạt: the unit declares that a document on `topic` was not issued (or, with `period`, that the periodic
    report of that period was not sent): 0 points, with no missing evidence to explain. Without `period` on a
    periodic topic, no report of the year was sent."""

    topic: Topic
    period: Topic | None = None
    note: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    documents: list[RecordId] = Field(default_factory=list)
    contributor: Contributor | None = None


class Explanation(_Record):
    criterion: Code
    text: Annotated[str, Field(min_length=1, max_length=8000)]
    documents: list[RecordId] = Field(default_factory=list)
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"text"})


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
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"proposals"})


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
    multiline_fields: ClassVar[frozenset[str]] = frozenset({"difficulties", "proposals"})


class PartFile(_Record):
    """One file merged into a bundle by `par-score merge`: its path relative to the merged bundle's folder, its
    sha256 when merged, and who sent it. Rerun re-hashes it to tell which agency's part changed since."""

    path: ShortText
    sha256: Annotated[str, Field(pattern=formats.SHA256.pattern)]
    contributor: Contributor | None = None


class DecisionInfo(_Record):
    """The Quyết định công bố Chỉ số CCHC a province issues for its own indexes (NĐ 30/2020 thể thức)."""

    number: Annotated[str, Field(max_length=100)] = ""
    date: StrictDate | None = None
    place: Annotated[str, Field(max_length=100)] = ""
    issuing_body: Annotated[str, Field(max_length=300)] = ""
    basis: list[Annotated[str, Field(min_length=1, max_length=1000)]] = Field(default_factory=list)  # "Căn cứ …"
    proposal: Annotated[str, Field(max_length=500)] = ""  # "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …"
    signer: Signer = Field(default_factory=Signer)
    recipients: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list)


class PublicationHeader(_Record):
    """cong-bo.yaml of a province folder: the province and the decision that publishes its indexes."""

    format: Literal["par-score/publication@1"] | None = None
    province: ShortText  # "Tỉnh Minh Họa"
    year: Annotated[int, Field(ge=2000, le=2100, strict=True)] | None = None
    decision: DecisionInfo = Field(default_factory=DecisionInfo)


class BundlePart(_Record):
    """What one evidence file holds; a folder bundle merges several parts."""

    format: Literal["par-score/evidence@1"] | None = None
    unit: Unit | None = None
    year: Annotated[int, Field(ge=2000, le=2100, strict=True)] | None = None
    catalogue: Annotated[str, Field(max_length=200)] | None = None
    contributor: Contributor | None = None  # the agency or unit that prepared this file: its records' contributor
    parts: list[PartFile] = Field(default_factory=list, max_length=2000)  # a merged bundle: the files merged
    documents: list[Document] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    not_applicable: list[NotApplicable] = Field(default_factory=list)
    not_achieved: list[NotAchieved] = Field(default_factory=list)
    survey: list[SurveyResult] = Field(default_factory=list)
    explanations: list[Explanation] = Field(default_factory=list)
    statistics: list[Statistic] = Field(default_factory=list)
    report: ReportInfo | None = None


SECTIONS = ("documents", "metrics", "not_applicable", "not_achieved", "survey", "explanations", "statistics")


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
    not_achieved: list[NotAchieved] = Field(default_factory=list)
    survey: list[SurveyResult] = Field(default_factory=list)
    explanations: list[Explanation] = Field(default_factory=list)
    statistics: list[Statistic] = Field(default_factory=list)
    report: ReportInfo | None = None
    parts: list[PartFile] = Field(default_factory=list)  # a merged bundle: the files it was merged from
    files: list[str] = Field(default_factory=list)
    contributors: dict[str, str] = Field(default_factory=dict)  # file (as in `files`) → who prepared it
    root: str = ""
    loader_fields: ClassVar[frozenset[str]] = frozenset({"files", "root", "contributors"})

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
