"""The evidence workbook's layout: sheet names, Vietnamese column headers and the record field each one fills.

The template writer (outputs/excel/evidence_template.py) and the reader (evidence/workbook/reader.py) share this one
declaration, so a header always maps to the same field. Headers are matched after NFC, whitespace folding and case
folding; the machine field name (`numerator`, `issue_date`, …) is accepted as a header too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from par_score.evidence.model import DOCUMENT_KINDS
from par_score.io.text import nfc
from par_score.vocabulary import UNIT_LEVEL_NAMES

FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class Column:
    """One column. `field` None: guidance the template fills and the reader ignores."""

    field: str | None
    header: str
    kind: str = "text"  # text | code | id | number | nonneg | percent | last_year | date | list | kind | answer | int
    #                     | confirm
    width: int = 16
    prefilled: bool = False  # filled from the catalogue: a row holding nothing else is an unanswered row
    note: str = ""
    optional: bool = False  # added after the first templates: a workbook without it is still read


@dataclass(frozen=True)
class SheetLayout:
    name: str
    section: str
    columns: tuple[Column, ...]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


def _guide(header: str, width: int = 16, note: str = "") -> Column:
    return Column(None, header, "text", width, prefilled=True, note=note)


CODE = _guide("Mã tiêu chí", 11)
NAME = _guide("Tên tiêu chí", 46)
AGENCY = _guide("Cơ quan chủ trì", 20)
REQUIRED = _guide("Tài liệu kiểm chứng cần có", 46)
NOTE = _guide("Ghi chú", 24, "Ghi chú của người nhập; không dùng để chấm điểm.")
CITED_NOTE = "Mã văn bản ở sheet 'Văn bản'; nhiều mã cách nhau bằng dấu ;"
CITED = Column("documents", "Văn bản kèm theo", "list", 24, note=CITED_NOTE)  # the documents a record cites

DOCUMENTS = SheetLayout(
    "Văn bản",
    "documents",
    (
        CODE,
        NAME,
        _guide("Cách tính điểm", 40),
        REQUIRED,
        Column(
            "topics",
            "Chủ đề",
            "list",
            26,
            prefilled=True,
            note="Mã chủ đề của danh mục mà văn bản làm minh chứng; nhiều chủ đề cách nhau bằng dấu ;",
        ),
        Column("period", "Kỳ báo cáo", "id", 11, prefilled=True, note="Chỉ cho báo cáo định kỳ: q1, h1, q3, nam."),
        Column(
            "id",
            "Mã văn bản",
            "id",
            22,
            note="Mã ngắn, duy nhất (chữ không dấu, số, - _ .), vd. kh-cchc-2024; dùng để dẫn chiếu ở các sheet khác.",
        ),
        Column("kind", "Loại văn bản", "kind", 16),
        Column("number", "Số, ký hiệu", "text", 16),
        Column("issuer", "Cơ quan ban hành", "text", 24),
        Column(
            "issue_date",
            "Ngày ban hành",
            "date",
            14,
            note="Ngày thật của Excel (vd. 25/12/2023) hoặc văn bản dạng 2023-12-25.",
        ),
        Column(
            "sent_date",
            "Ngày gửi",
            "date",
            14,
            note="Chỉ cho báo cáo định kỳ gửi sau ngày ban hành; để trống nếu gửi ngay.",
        ),
        Column("title", "Trích yếu", "text", 46),
        Column("locator", "Vị trí trong văn bản", "text", 24, note="Vd. Mục II, trang 3."),
        Column("file.path", "Tệp đính kèm", "text", 24, note="Đường dẫn tương đối tính từ thư mục chứa bảng tính."),
        Column("file.sha256", "Mã băm SHA-256", "text", 20),
        Column(
            "contributors",
            "Đơn vị đóng góp",
            "list",
            22,
            note="Cơ quan, đơn vị gửi văn bản (để trống: đơn vị nhập liệu ở sheet 'Thông tin'); văn bản liên tịch, "
            "đồng ký: ghi các cơ quan, cách nhau bằng dấu ;",
            optional=True,
        ),
        AGENCY,
        NOTE,
    ),
)

METRICS = SheetLayout(
    "Số liệu",
    "metrics",
    (
        CODE,
        NAME,
        _guide("Cách nhập", 30),
        _guide("Cách tính điểm", 40),
        REQUIRED,
        Column("indicator", "Mã chỉ số", "id", 30, prefilled=True),
        Column(
            "numerator", "Tử số", "nonneg", 10, note="Số không âm. Nhập tỷ lệ bằng Tử số + Mẫu số, hoặc bằng Tỷ lệ (%)."
        ),
        Column(
            "denominator", "Mẫu số", "nonneg", 10, note="Số không âm; bằng 0 thì khai báo ở sheet 'Không phát sinh'."
        ),
        Column(
            "percent",
            "Tỷ lệ (%)",
            "percent",
            10,
            note="Phần trăm: nhập 97,5 (hoặc 97,5 %) cho 97,5 %. Số từ 0 đến 1 (vd. 0,85) bị từ chối vì không rõ là "
            "85 % hay 0,85 %: ghi 0,85 % nếu đúng là 0,85 %.",
        ),
        Column("value", "Giá trị", "number", 10, note="Cho tiêu chí đếm số lượng / giá trị."),
        Column("period", "Kỳ số liệu", "text", 12),
        Column("source", "Nguồn số liệu", "text", 30),
        CITED,
        Column(
            "contributor",
            "Đơn vị đóng góp",
            "text",
            22,
            note="Cơ quan, đơn vị có số liệu này (để trống: đơn vị nhập liệu ở sheet 'Thông tin'). Chỉ số cộng dồn "
            "(hồ sơ của từng sở, từng xã…): mỗi đơn vị một dòng cùng mã chỉ số.",
            optional=True,
        ),
        Column(
            "last_year",
            "Số liệu năm trước",
            "last_year",
            12,
            note="Không bắt buộc: tỷ lệ (%) hoặc giá trị của năm trước, để cảnh báo khi số liệu năm nay khác xa.",
            optional=True,
        ),
        AGENCY,
        NOTE,
    ),
)

STATISTICS = SheetLayout(
    "Số liệu thống kê",
    "statistics",
    (
        CODE,
        NAME,
        _guide("Cách nhập", 30),
        _guide("Cách tính điểm", 40),
        _guide("Cơ quan cung cấp", 30),
        Column("statistic", "Mã số liệu thống kê", "id", 30, prefilled=True),
        Column(
            "numerator", "Tử số", "nonneg", 10, note="Số không âm. Nhập Tử số + Mẫu số, hoặc Tỷ lệ (%), hoặc Giá trị."
        ),
        Column("denominator", "Mẫu số", "nonneg", 10, note="Số không âm."),
        Column("percent", "Tỷ lệ (%)", "nonneg", 10, note="Phần trăm: nhập 97,5 cho 97,5 %."),
        Column("value", "Giá trị", "number", 10),
        Column("period", "Kỳ số liệu", "text", 12),
        Column("source", "Nguồn số liệu", "text", 30, note="Cơ quan cung cấp và văn bản, ấn phẩm công bố số liệu."),
        CITED,
        NOTE,
    ),
)

NOT_APPLICABLE = SheetLayout(
    "Không phát sinh",
    "not_applicable",
    (
        Column("criterion", "Mã tiêu chí", "code", 11, prefilled=True),
        NAME,
        _guide("Khi không phát sinh", 26),
        Column("reason", "Lý do không phát sinh", "text", 46),
        CITED,
        AGENCY,
        NOTE,
    ),
)

NOT_ACHIEVED = SheetLayout(
    "Không đạt",
    "not_achieved",
    (
        CODE,
        NAME,
        Column("topic", "Chủ đề", "id", 26, prefilled=True),
        Column("period", "Kỳ báo cáo", "id", 11, prefilled=True, note="Chỉ cho báo cáo định kỳ: kỳ không gửi báo cáo."),
        Column(
            "declared",
            "Khai báo",
            "confirm",
            14,
            note="Chọn 'Không đạt' khi văn bản không được ban hành (hoặc báo cáo kỳ này không được gửi): tiêu chí "
            "được 0 điểm, không bị coi là thiếu tài liệu kiểm chứng.",
        ),
        Column("note", "Lý do, ghi chú", "text", 40, note="Không bắt buộc."),
        CITED,
        AGENCY,
        NOTE,
    ),
)

SURVEY = SheetLayout(
    "Điều tra (xem trước)",
    "survey",
    (
        Column("item", "Mục điều tra", "code", 11, prefilled=True),
        NAME,
        _guide("Điểm tối đa", 10),
        Column(
            "percent",
            "Tỷ lệ (%)",
            "percent",
            10,
            note="Tỷ lệ hài lòng/đánh giá tốt (0 – 100); hoặc nhập số phiếu theo phương án.",
        ),
        # Answer columns "Số phiếu A", "Số phiếu B", … are added from the catalogue's answer weights.
        Column("source", "Nguồn", "text", 30),
        AGENCY,
        NOTE,
    ),
)

EXPLANATIONS = SheetLayout(
    "Giải trình",
    "explanations",
    (
        Column("criterion", "Mã tiêu chí", "code", 11, prefilled=True),
        NAME,
        Column("text", "Giải trình", "text", 60),
        CITED,
        AGENCY,
        NOTE,
    ),
)

RECORD_SHEETS = (DOCUMENTS, METRICS, NOT_APPLICABLE, NOT_ACHIEVED, SURVEY, EXPLANATIONS, STATISTICS)
# Added after the first templates (a workbook without them is read), or written only for the catalogues that use
# them (statistics criteria): read when present.
OPTIONAL_SHEETS = frozenset({NOT_ACHIEVED.name, STATISTICS.name})
SHEET_NAMES = {layout.section: layout.name for layout in RECORD_SHEETS}
READER_ONLY = frozenset({"declared"})  # columns the reader checks and drops: not record fields
CONFIRMATIONS = ("Không đạt",)

ANSWER_HEADER = "Số phiếu {}"
_ANSWER = re.compile(r"^(?:số phiếu|answers\.?)\s*([a-z])$")


def answer_column(letter: str) -> Column:
    return Column(
        f"answers.{letter}",
        ANSWER_HEADER.format(letter),
        "answer",
        10,
        note=f"Số phiếu chọn phương án {letter} (số nguyên không âm).",
    )


def survey_columns(letters: list[str]) -> tuple[Column, ...]:
    """The survey sheet's columns with one answer column per answer letter of the catalogue."""
    columns = list(SURVEY.columns)
    at = next(i for i, c in enumerate(columns) if c.field == "percent") + 1
    columns[at:at] = [answer_column(letter) for letter in letters]
    return tuple(columns)


# ---- the "Thông tin" sheet: one labelled row per header field -------------------------------------------------
INFO_SHEET = "Thông tin"
INFO_HEADERS = ("Thông tin", "Giá trị", "Hướng dẫn")
INFO_VALUE_COLUMN = 2


@dataclass(frozen=True)
class InfoRow:
    field: str | None  # None: shown for information, not read
    label: str
    kind: str
    note: str


INFO_ROWS = (
    InfoRow("unit.code", "Mã đơn vị", "text", "Chữ thường không dấu, số và dấu gạch ngang, vd. tay-ninh."),
    InfoRow("unit.name", "Tên đơn vị", "text", "Vd. Tỉnh Tây Ninh."),
    InfoRow("unit.level", "Cấp đơn vị", "level", "Chọn trong danh sách."),
    InfoRow("year", "Năm đánh giá", "int", "Năm được đánh giá, vd. 2024."),
    InfoRow("catalogue", "Danh mục tiêu chí", "text", "Mã danh mục tiêu chí dùng để chấm điểm."),
    InfoRow("unit.profile", "Loại đơn vị", "text", "Mã loại đơn vị theo danh mục (chỉ với danh mục chia loại đơn vị)."),
    InfoRow("unit.cluster", "Khối", "text", "Mã khối xếp hạng (chỉ khi loại đơn vị không quyết định khối)."),
    InfoRow(None, "Mẫu lập cho cơ quan", "text", "Cơ quan chủ trì mà bảng tính này được lập cho (nếu có)."),
    InfoRow(
        "contributor",
        "Cơ quan, đơn vị nhập liệu",
        "text",
        "Cơ quan, đơn vị gửi bảng tính này: số liệu và văn bản trong bảng tính được ghi là của đơn vị này (trừ khi "
        "cột 'Đơn vị đóng góp' ghi đơn vị khác).",
    ),
)

HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh sách"

LEVEL_LABELS = {code: name for code, name in UNIT_LEVEL_NAMES.items()}
KIND_LABELS = dict(DOCUMENT_KINDS)


def fold(text: str) -> str:
    """How headers, labels and list entries are compared: NFC, single spaces, case-folded."""
    return " ".join(nfc(text).split()).casefold()


def header_index(layout: SheetLayout) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in layout.columns:
        index[fold(column.header)] = column
        if column.field:
            index.setdefault(fold(column.field), column)
    return index


def match_header(layout: SheetLayout, header: str) -> Column | None:
    known = header_index(layout).get(fold(header))
    if known is not None:
        return known
    if layout.section == "survey":
        found = _ANSWER.match(fold(header))
        if found:
            return Column(f"answers.{found.group(1).upper()}", header, "answer", prefilled=False)
    return None


def choice(value: str, labels: dict[str, str]) -> str | None:
    """A code from its code or its Vietnamese label (case and spacing ignored)."""
    wanted = fold(value)
    for code, label in labels.items():
        if wanted in (fold(code), fold(label)):
            return code
    return None
