"""The evidence workbook generated from a catalogue: one sheet per kind of evidence, rows pre-filled per criterion.

Grey columns are guidance from the catalogue (ignored on reading); the pre-filled key of a row (topic, indicator,
criterion, survey item) tells the reader what the row answers; a row with nothing else is an unanswered row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.catalogue.index import BONUS, InputUse, ItemEntry
from par_score.errors import InputError, Problem
from par_score.evidence.model import Unit
from par_score.evidence.workbook.layout import (
    CONFIRMATIONS,
    DOCUMENTS,
    EXPLANATIONS,
    FIRST_DATA_ROW,
    HELP_SHEET,
    INFO_HEADERS,
    INFO_ROWS,
    INFO_SHEET,
    INFO_VALUE_COLUMN,
    KIND_LABELS,
    LISTS_SHEET,
    METRICS,
    NOT_ACHIEVED,
    NOT_APPLICABLE,
    STATISTICS,
    SURVEY,
    Column,
    SheetLayout,
    survey_columns,
)
from par_score.numbers import vn
from par_score.outputs.excel.cells import (
    BOLD,
    BORDER,
    DATE_FORMAT,
    GUIDE_FILL,
    TEXT_FORMAT,
    TITLE_FONT,
    WRAP,
    header_row,
    put,
    workbook_bytes,
)
from par_score.scales import kind_of
from par_score.scoring.compile import LeafRules, compile_catalogue, compile_items
from par_score.scoring.scorer import agency_name, agency_scope
from par_score.vocabulary import UNIT_LEVEL_NAMES, NotApplicablePolicy, Source

EXTRA_ROWS = 200  # empty, formatted rows below the pre-filled ones for records the catalogue cannot foresee


@dataclass(frozen=True)
class _Row:
    """One pre-filled row: values by column header."""

    values: dict[str, object]


def _scoring_text(rules: LeafRules) -> str:
    labels = [band.label for band in rules.bands if band.is_value_band]
    return "; ".join(dict.fromkeys(labels))


COMBINE_WORDS = {"min_of": "Lấy mức thấp hơn của các thành phần", "weighted": "Cộng các thành phần theo trọng số"}


def _use_scoring(use: InputUse, rules: dict[str, LeafRules], year: int) -> str:
    """How the input of a row scores: its leaf's bands, or for a part of a composite criterion its own bands."""
    whole = _scoring_text(rules[use.code])
    if use.part is None or use.scale is None:
        return whole
    own = use.kind.value_bands(use.code, use.owner.maximum, use.scale, year)
    combine = COMBINE_WORDS.get(use.owner.scale.combine, "")
    return f"{combine}; thành phần này: " + "; ".join(b.label for b in own if b.is_value_band)


def _owner_name(use: InputUse) -> str:
    owner = use.owner
    if isinstance(owner, ItemEntry):
        prefix = "Điểm thưởng" if owner.role == BONUS else "Điểm trừ"
        return f"{prefix} — {owner.name}"
    name = owner.leaf.name
    if use.part is not None:
        label = next(p.label for p in owner.leaf.scale.parts if p.id == use.part)
        name += f" (thành phần: {label})"
    return name


def _owner_agency(use: InputUse) -> str:
    owner = use.owner
    if isinstance(owner, ItemEntry):
        return owner.supplied_by or ""
    return _agencies(owner)


def _required(use: InputUse) -> str:
    owner = use.owner
    return owner.required_evidence if isinstance(owner, ItemEntry) else owner.leaf.required_evidence


def _uses(owners: list, kind: str) -> list[InputUse]:
    return [use for owner in owners for use in owner.uses if use.key[0] == kind]


def _expected_input(use: InputUse) -> str:
    return use.kind.input_hint(use.scale, use.given)


def _agencies(entry: LeafEntry) -> str:
    """The 'Cơ quan chủ trì' guide cell: the lead agency, and the co-responsible ones when there are."""
    return entry.agency + (f" (phối hợp: {'; '.join(entry.co_agencies)})" if entry.co_agencies else "")


_NA_TEXTS = {NotApplicablePolicy.FULL: "đạt điểm tối đa", NotApplicablePolicy.EXCLUDE: "không tính vào điểm tối đa"}


def _na_text(entry: LeafEntry) -> str:
    return _NA_TEXTS.get(entry.leaf.not_applicable, "")


def _document_rows(owners: list, rules: dict[str, LeafRules], year: int) -> list[_Row]:
    rows: list[_Row] = []
    seen: set[str] = set()
    for use in _uses(owners, "document"):
        topic = use.key[1]
        if topic in seen:
            continue
        seen.add(topic)
        base = {
            "Mã tiêu chí": use.code,
            "Tên tiêu chí": _owner_name(use),
            "Cách tính điểm": _use_scoring(use, rules, year),
            "Tài liệu kiểm chứng cần có": _required(use),
            "Chủ đề": topic,
            "Cơ quan chủ trì": _owner_agency(use),
        }
        periods = use.kind.periods(use.scale)
        if periods:
            for period in periods:
                due = period.due_date(year)
                values = dict(base, **{"Kỳ báo cáo": period.id})
                values["Tên tiêu chí"] = f"{_owner_name(use)} — kỳ {period.name} (hạn {due:%d/%m/%Y})"
                rows.append(_Row(values))
        else:
            rows.append(_Row(base))
    return rows


def _metric_rows(owners: list, rules: dict[str, LeafRules], year: int) -> list[_Row]:
    rows: list[_Row] = []
    seen: set[str] = set()
    for use in _uses(owners, "indicator"):
        if use.key[1] in seen:  # a bonus item reading a criterion's figure again: entered once
            continue
        seen.add(use.key[1])
        rows.append(
            _Row(
                {
                    "Mã tiêu chí": use.code,
                    "Tên tiêu chí": _owner_name(use),
                    "Cách nhập": _expected_input(use),
                    "Cách tính điểm": _use_scoring(use, rules, year),
                    "Tài liệu kiểm chứng cần có": _required(use),
                    "Mã chỉ số": use.key[1],
                    "Cơ quan chủ trì": _owner_agency(use),
                }
            )
        )
    return rows


def _statistic_rows(owners: list, rules: dict[str, LeafRules], year: int) -> list[_Row]:
    return [
        _Row(
            {
                "Mã tiêu chí": use.code,
                "Tên tiêu chí": _owner_name(use),
                "Cách nhập": _expected_input(use),
                "Cách tính điểm": _use_scoring(use, rules, year),
                "Cơ quan cung cấp": getattr(use.owner, "supplied_by", None) or use.owner.leaf.supplied_by or "",
                "Mã số liệu thống kê": use.key[1],
            }
        )
        for use in _uses(owners, "statistic")
    ]


def _na_rows(entries: list[LeafEntry]) -> list[_Row]:
    return [
        _Row(
            {
                "Mã tiêu chí": e.code,
                "Tên tiêu chí": e.leaf.name,
                "Khi không phát sinh": _na_text(e),
                "Cơ quan chủ trì": _agencies(e),
            }
        )
        for e in entries
        if e.leaf.source != Source.SURVEY and e.leaf.not_applicable != NotApplicablePolicy.NONE
    ]


def _not_achieved_rows(entries: list[LeafEntry], year: int) -> list[_Row]:
    """One row per document topic (one per period of a periodic report): where a unit declares "không đạt"."""
    rows: list[_Row] = []
    seen: set[str] = set()
    for entry in entries:
        kind, topic = entry.input_key
        if kind != "document" or entry.uses[0].part is not None or topic in seen:
            continue  # a part of a composite criterion is scored by its own bands, not declared "không đạt"
        seen.add(topic)
        base = {
            "Mã tiêu chí": entry.code,
            "Tên tiêu chí": entry.leaf.name,
            "Chủ đề": topic,
            "Cơ quan chủ trì": _agencies(entry),
        }
        periods = kind_of(entry.leaf.scale).periods(entry.leaf.scale)
        for period in periods:
            rows.append(
                _Row(
                    dict(
                        base,
                        **{
                            "Kỳ báo cáo": period.id,
                            "Tên tiêu chí": f"{entry.leaf.name} — kỳ {period.name} "
                            f"(hạn {period.due_date(year):%d/%m/%Y})",
                        },
                    )
                )
            )
        if not periods:
            rows.append(_Row(base))
    return rows


def _survey_rows(entries: list[LeafEntry]) -> list[_Row]:
    return [
        _Row(
            {
                "Mục điều tra": e.input_key[1],
                "Tên tiêu chí": e.leaf.name,
                "Điểm tối đa": e.leaf.max,
                "Cơ quan chủ trì": _agencies(e),
            }
        )
        for e in entries
        if e.input_key[0] == "survey"
    ]


def _explanation_rows(entries: list[LeafEntry]) -> list[_Row]:
    return [
        _Row({"Mã tiêu chí": e.code, "Tên tiêu chí": e.leaf.name, "Cơ quan chủ trì": _agencies(e)})
        for e in entries
        if e.leaf.source == Source.SELF
    ]


class _Lists:
    """The hidden sheet of dropdown lists; each list is a column referenced by the data validations."""

    def __init__(self, ws):
        self.ws = ws
        self.count = 0

    def add(self, title: str, items: list[str]) -> str | None:
        if not items:
            return None
        self.count += 1
        column = self.count
        put(self.ws.cell(row=1, column=column), title)
        for row, item in enumerate(items, start=2):
            put(self.ws.cell(row=row, column=column), item)
        letter = get_column_letter(column)
        self.ws.column_dimensions[letter].width = 30
        return f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(items) + 1}"


def _dropdown(ws, column: int, last_row: int, formula: str | None, *, strict: bool = True, prompt: str = "") -> None:
    if formula is None:
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    validation.showErrorMessage = True
    validation.errorStyle = "stop" if strict else "warning"
    validation.errorTitle = "Giá trị không có trong danh sách"
    validation.error = (
        "Hãy chọn một giá trị trong danh sách."
        if strict
        else "Giá trị không có trong danh sách; vẫn giữ nếu bạn chắc chắn (vd. nhiều mã cách nhau bằng dấu ;)."
    )
    if prompt:
        validation.showInputMessage = True
        validation.prompt = prompt
    letter = get_column_letter(column)
    validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
    ws.add_data_validation(validation)


def _number_check(ws, column: int, last_row: int, *, whole: bool) -> None:
    validation = DataValidation(
        type="whole" if whole else "decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    validation.showErrorMessage = True
    validation.errorTitle = "Số không hợp lệ"
    validation.error = "Nhập số nguyên không âm." if whole else "Nhập số không âm (không nhập chữ)."
    letter = get_column_letter(column)
    validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
    ws.add_data_validation(validation)


def _record_sheet(wb: Workbook, layout: SheetLayout, columns: tuple[Column, ...], rows: list[_Row]):
    ws = wb.create_sheet(layout.name)
    header_row(ws, [c.header for c in columns], notes=[c.note for c in columns])
    last_row = FIRST_DATA_ROW + len(rows) + EXTRA_ROWS - 1
    for position, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(position)].width = column.width
        for row_number in range(FIRST_DATA_ROW, last_row + 1):
            cell = ws.cell(row=row_number, column=position)
            cell.border = BORDER
            if column.field is None:
                cell.fill = GUIDE_FILL
                cell.alignment = WRAP
            elif column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind in ("text", "id", "code", "list", "kind", "confirm"):
                cell.number_format = TEXT_FORMAT
                cell.alignment = WRAP
    for offset, row in enumerate(rows):
        for position, column in enumerate(columns, start=1):
            if column.header in row.values:
                put(ws.cell(row=FIRST_DATA_ROW + offset, column=position), row.values[column.header])
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    return ws, last_row


def _position(columns: tuple[Column, ...], field: str) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.field == field)


def _help_sheet(ws, index: CatalogueIndex, agency: str | None, unit: Unit | None, profile: str | None = None) -> None:
    cat = index.catalogue
    ws.column_dimensions["A"].width = 120
    lines: list[tuple[str, bool]] = [
        ("Bảng tính tài liệu kiểm chứng — tự đánh giá, chấm điểm Chỉ số CCHC (PAR INDEX)", True),
        (
            f"Danh mục tiêu chí: {cat.title} (mã {cat.id}, phiên bản {cat.version}); năm đánh giá "
            f"{cat.evaluation_year}.",
            False,
        ),
    ]
    if cat.kind == "reference":
        lines.append(
            (
                "Lưu ý: đây là danh mục tham chiếu, KHÔNG phải Phụ lục chính thức của Bộ Nội vụ; điểm chỉ có giá trị "
                "tham khảo.",
                False,
            )
        )
    if agency:
        lines.append((f"Bảng tính này chỉ gồm các tiêu chí do {agency} chủ trì hoặc phối hợp.", False))
    if profile:
        lines.append(
            (
                f"Bảng tính này lập cho loại đơn vị “{index.profiles[profile].name}” ({profile}): các tiêu chí "
                "không áp dụng cho loại đơn vị này đã được bỏ.",
                False,
            )
        )
    if unit is not None:
        lines.append(
            (
                f"Đơn vị được đánh giá: {unit.name} (mã {unit.code}), năm {cat.evaluation_year} — đã điền sẵn và "
                f"khóa ở sheet '{INFO_SHEET}'.",
                False,
            )
        )
    lines += [
        ("", False),
        ("Cách nhập", True),
        (
            "• Cột nền xám là hướng dẫn lấy từ danh mục (mã, tên tiêu chí, cách nhập, cách tính điểm, tài liệu cần "
            "có): không cần sửa, không dùng để chấm.",
            False,
        ),
        (
            "• Mỗi dòng đã điền sẵn mã (chủ đề, mã chỉ số, mã tiêu chí, mục điều tra) cho biết dòng đó trả lời tiêu "
            "chí nào. Dòng chỉ có phần điền sẵn được coi là chưa nhập.",
            False,
        ),
        ("• Có thể thêm dòng mới ở cuối mỗi sheet (chọn mã trong danh sách thả xuống).", False),
        (
            "• Số: nhập số, không nhập chữ; phần thập phân dùng dấu phẩy hoặc dấu chấm theo cài đặt của máy. Số "
            "nhập dạng văn bản được đọc theo cách viết Việt Nam: 10.120 hoặc 10 120 là mười nghìn một trăm hai mươi, "
            "12,5 là mười hai phẩy năm, 1.234,5; số có thể hiểu hai cách (10,000 hay 1.234) bị từ chối — hãy viết "
            "10000, 1234 hoặc 1,2340.",
            False,
        ),
        (
            "• Tỷ lệ (%) nhập 97,5 (hoặc 97,5 %) cho 97,5 %. Số từ 0 đến 1 (0,85) ở cột Tỷ lệ (%) bị từ chối vì không "
            "rõ là 85 % hay 0,85 %: ghi 0,85 % nếu đúng là 0,85 %. Tử số, mẫu số đếm số lượng là số nguyên.",
            False,
        ),
        (
            "• Mã văn bản: chữ không dấu, số và các dấu - _ . (không dấu cách, không dấu /), duy nhất trong bảng tính, "
            "vd. kh-cchc-2024, qd-1234-2024.",
            False,
        ),
        (
            "• Ngày: nhập ngày của Excel (vd. 25/12/2023) hoặc văn bản dạng 2023-12-25. Không nhập giờ. Kiểm tra máy "
            "đang dùng định dạng ngày/tháng/năm: cột Ngày ban hành hiển thị dạng DD/MM/YYYY.",
            False,
        ),
        ("• Nhiều mã trong một ô (chủ đề, văn bản kèm theo) cách nhau bằng dấu chấm phẩy (;).", False),
        (
            "• Không dùng công thức; nếu có công thức, tệp phải được lưu bằng Excel/LibreOffice để có giá trị đã tính.",
            False,
        ),
        ("", False),
        ("Các sheet", True),
        (f"• {INFO_SHEET}: mã và tên đơn vị, cấp đơn vị, năm đánh giá, mã danh mục tiêu chí.", False),
        (
            f"• {DOCUMENTS.name}: các văn bản (kế hoạch, quyết định, báo cáo…). Mã văn bản là duy nhất, dùng để dẫn "
            "chiếu ở cột 'Văn bản kèm theo' của các sheet khác. Chủ đề gắn văn bản với tiêu chí; báo cáo định kỳ ghi "
            "thêm kỳ báo cáo.",
            False,
        ),
        (
            f"• {METRICS.name}: số liệu của các tiêu chí tính theo tỷ lệ (Tử số + Mẫu số, hoặc Tỷ lệ %) hoặc theo giá "
            "trị (số lượng).",
            False,
        ),
        (f"• {NOT_APPLICABLE.name}: tiêu chí không phát sinh trong năm — ghi lý do và văn bản chứng minh.", False),
        (
            f"• {NOT_ACHIEVED.name}: văn bản không được ban hành, báo cáo kỳ nào không được gửi — chọn "
            f"'{CONFIRMATIONS[0]}' ở cột Khai báo (ghi chú nếu có): tiêu chí được 0 điểm, không bị coi là thiếu tài "
            "liệu kiểm chứng. Khác với không phát sinh (không có việc phải làm) và thiếu tài liệu (có làm nhưng chưa "
            "có tài liệu).",
            False,
        ),
        (
            f"• Chỉ số cộng dồn từ nhiều đơn vị (hồ sơ đúng hạn của từng sở, từng xã…): mỗi đơn vị một dòng ở sheet "
            f"{METRICS.name}, cùng mã chỉ số, ghi tên ở cột 'Đơn vị đóng góp'.",
            False,
        ),
        (
            f"• {SURVEY.name}: chỉ để XEM TRƯỚC điểm điều tra xã hội học (Bộ Nội vụ đánh giá); nhập tỷ lệ (%) hoặc số "
            "phiếu theo phương án.",
            False,
        ),
        (f"• {EXPLANATIONS.name}: giải trình cho tiêu chí chưa đạt tối đa hoặc thiếu tài liệu kiểm chứng.", False),
        ("", False),
        ("Chấm điểm", True),
        ("• Chấm điểm bảng tính: par-score score TEN-TEP.xlsx", False),
        ('• Cơ quan xem trước phần của mình: par-score score TEN-TEP.xlsx --agency "Tên cơ quan"', False),
        ("• Sở Nội vụ hợp nhất các phần: par-score merge phan-1.xlsx phan-2.xlsx … --out bo-tai-lieu.yaml", False),
        (
            "• Lỗi được báo theo sheet, dòng và cột, vd. Sheet 'Số liệu', dòng 14, cột 'Mẫu số': phải là số không âm.",
            False,
        ),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1)
        put(cell, text)
        cell.alignment = WRAP
        if bold:
            cell.font = TITLE_FONT if row == 1 else BOLD


def _info_sheet(
    wb: Workbook, index: CatalogueIndex, agency: str | None, unit: Unit | None, lists: _Lists, profile: str | None
) -> None:
    """Unit, year, catalogue and who fills the workbook (and the unit's profile or cluster where the catalogue has
    them). With a unit given, what identifies the bundle (unit, level, year, catalogue, the agency filling it) is
    filled in and the sheet protected: every agency's part then carries the same unit and year, and a mismatch
    cannot appear at merging."""
    ws = wb.create_sheet(INFO_SHEET)
    header_row(ws, list(INFO_HEADERS))
    prefilled: dict[str | None, object] = {
        "unit.level": UNIT_LEVEL_NAMES[index.catalogue.unit_level],
        "year": index.year,
        "catalogue": index.id,
        "unit.profile": profile,
        None: agency or "Tất cả các cơ quan",
        "contributor": agency,
    }
    if unit is not None:
        prefilled.update({"unit.code": unit.code, "unit.name": unit.name, "unit.level": UNIT_LEVEL_NAMES[unit.level]})
    locked = {"unit.code", "unit.name", "unit.level", "year", "catalogue"} if unit is not None else set()
    if unit is not None and agency:
        locked.add("contributor")
    clusters = index.catalogue.clusters or []
    wanted = {
        "unit.profile": bool(index.profiles),
        "unit.cluster": len(clusters) > 1 and not index.clusters_by_profile,
    }
    rows = [info for info in INFO_ROWS if wanted.get(info.field, True)]
    for row, info in enumerate(rows, start=FIRST_DATA_ROW):
        label = ws.cell(row=row, column=1)
        put(label, info.label)
        label.fill = GUIDE_FILL
        value = ws.cell(row=row, column=INFO_VALUE_COLUMN)
        if info.field != "year":
            value.number_format = TEXT_FORMAT
        put(value, prefilled.get(info.field))
        note = ws.cell(row=row, column=3)
        put(note, info.note)
        note.fill = GUIDE_FILL
        note.alignment = WRAP
        for cell in (label, value, note):
            cell.border = BORDER
        value.protection = Protection(locked=info.field in locked or info.field is None and unit is not None)
        choices = {"unit.profile": list(index.profiles), "unit.cluster": [c.id for c in clusters]}.get(info.field)
        if choices:
            validation = DataValidation(type="list", formula1=lists.add(info.label, choices), allow_blank=True)
            validation.add(value.coordinate)
            ws.add_data_validation(validation)
        if info.field == "unit.level":
            formula = lists.add("Cấp đơn vị", list(UNIT_LEVEL_NAMES.values()))
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.add(value.coordinate)
            ws.add_data_validation(validation)
        if info.field == "year":
            validation = DataValidation(
                type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=False
            )
            validation.showErrorMessage = True
            validation.error = "Nhập năm (2000 – 2100)."
            validation.add(value.coordinate)
            ws.add_data_validation(validation)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 60
    ws.freeze_panes = "A2"
    if unit is not None:
        ws.protection.sheet = True  # no password: a guard against typing over the unit, not a security measure
        ws.protection.formatCells = False
        ws.protection.formatColumns = False


def _profile_entries(index: CatalogueIndex, profile: str | None) -> tuple[list[LeafEntry], list[ItemEntry]]:
    if profile is not None and profile not in index.profiles:
        known = ", ".join(index.profiles) or "danh mục không chia loại đơn vị"
        raise InputError(
            Problem(f"loại đơn vị '{profile}' không có trong danh mục '{index.id}' ({known})", field="--profile")
        )
    excluded = index.excluded(profile)
    items = [item for item in index.items if index.applies(item, profile)]
    return [e for e in index.leaves if e.code not in excluded], items


def build_template(
    index: CatalogueIndex, agency: str | None = None, unit: Unit | None = None, profile: str | None = None
) -> Workbook:
    """The evidence workbook for `index`; with `agency`, only the criteria that agency answers for (as lead or
    co-responsible agency); with `unit`, the 'Thông tin' sheet filled in for that unit and locked; with `profile`,
    only the criteria (and bonus and deduction items) that apply to that kind of unit."""
    scope = agency_scope(index, agency)
    leaves, items = _profile_entries(index, profile)
    entries = [e for e in leaves if scope is None or e.code in scope]
    owners = [*entries, *(items if scope is None else [])]
    name = agency_name(index, agency) if agency else None
    rules = {r.code: r for r in [*compile_catalogue(index), *compile_items(index)]}

    wb = Workbook()
    help_ws = wb.active
    help_ws.title = HELP_SHEET
    _help_sheet(help_ws, index, name, unit, profile)
    lists_ws = wb.create_sheet(LISTS_SHEET)
    lists_ws.sheet_state = "hidden"
    lists = _Lists(lists_ws)
    _info_sheet(wb, index, name, unit, lists, profile)

    periods = list(dict.fromkeys(p.id for use in _uses(owners, "document") for p in use.kind.periods(use.scale)))
    topics = list(dict.fromkeys(use.key[1] for use in _uses(owners, "document")))
    indicators = list(dict.fromkeys(use.key[1] for use in _uses(owners, "indicator")))
    statistics = list(dict.fromkeys(use.key[1] for use in _uses(owners, "statistic")))
    na_codes = [
        e.code for e in entries if e.leaf.source != Source.SURVEY and e.leaf.not_applicable != NotApplicablePolicy.NONE
    ]
    survey_items = [e.input_key[1] for e in entries if e.input_key[0] == "survey"]
    explain_codes = list(
        dict.fromkeys(c for e in entries if e.leaf.source == Source.SELF for c in (e.criterion.code, e.code))
    )

    kinds_ref = lists.add("Loại văn bản", list(KIND_LABELS.values()))
    topics_ref = lists.add("Chủ đề", topics)
    periods_ref = lists.add("Kỳ báo cáo", periods)
    indicators_ref = lists.add("Mã chỉ số", indicators)
    na_ref = lists.add("Tiêu chí được khai báo không phát sinh", na_codes)
    survey_ref = lists.add("Mục điều tra", survey_items)
    explain_ref = lists.add("Tiêu chí (giải trình)", explain_codes)
    confirm_ref = lists.add("Khai báo không đạt", list(CONFIRMATIONS))

    columns = DOCUMENTS.columns
    ws, last = _record_sheet(wb, DOCUMENTS, columns, _document_rows(owners, rules, index.year))
    _dropdown(ws, _position(columns, "kind"), last, kinds_ref)
    _dropdown(ws, _position(columns, "topics"), last, topics_ref, strict=True)
    _dropdown(ws, _position(columns, "period"), last, periods_ref)

    columns = METRICS.columns
    ws, last = _record_sheet(wb, METRICS, columns, _metric_rows(owners, rules, index.year))
    _dropdown(ws, _position(columns, "indicator"), last, indicators_ref)
    for field in ("numerator", "denominator", "percent"):
        _number_check(ws, _position(columns, field), last, whole=False)

    columns = NOT_APPLICABLE.columns
    ws, last = _record_sheet(wb, NOT_APPLICABLE, columns, _na_rows(entries))
    _dropdown(ws, _position(columns, "criterion"), last, na_ref)

    columns = NOT_ACHIEVED.columns
    ws, last = _record_sheet(wb, NOT_ACHIEVED, columns, _not_achieved_rows(entries, index.year))
    _dropdown(ws, _position(columns, "declared"), last, confirm_ref)
    _dropdown(ws, _position(columns, "topic"), last, topics_ref)
    _dropdown(ws, _position(columns, "period"), last, periods_ref)

    letters = list(index.catalogue.survey_answer_weights)
    columns = survey_columns(letters)
    ws, last = _record_sheet(wb, SURVEY, columns, _survey_rows(entries))
    _dropdown(ws, _position(columns, "item"), last, survey_ref)
    _number_check(ws, _position(columns, "percent"), last, whole=False)
    for letter in letters:
        _number_check(ws, _position(columns, f"answers.{letter}"), last, whole=True)

    columns = EXPLANATIONS.columns
    ws, last = _record_sheet(wb, EXPLANATIONS, columns, _explanation_rows(entries))
    _dropdown(ws, _position(columns, "criterion"), last, explain_ref)

    if statistics:
        statistics_ref = lists.add("Mã số liệu thống kê", statistics)
        columns = STATISTICS.columns
        ws, last = _record_sheet(wb, STATISTICS, columns, _statistic_rows(owners, rules, index.year))
        _dropdown(ws, _position(columns, "statistic"), last, statistics_ref)
        for field in ("numerator", "denominator", "percent"):
            _number_check(ws, _position(columns, field), last, whole=False)

    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    wb.active = 0
    return wb


def template_bytes(
    index: CatalogueIndex, agency: str | None = None, unit: Unit | None = None, profile: str | None = None
) -> bytes:
    return workbook_bytes(build_template(index, agency, unit, profile))


def describe(index: CatalogueIndex, agency: str | None = None, profile: str | None = None) -> str:
    """One line for the terminal: what the generated workbook holds."""
    scope = agency_scope(index, agency)
    leaves, _ = _profile_entries(index, profile)
    entries = [e for e in leaves if scope is None or e.code in scope]
    points = sum((e.leaf.max for e in entries), Decimal(0))
    who = f"cơ quan {agency_name(index, agency)}" if agency else "tất cả các cơ quan"
    kind = f", loại đơn vị {index.profiles[profile].name}" if profile else ""
    return f"{len(entries)} tiêu chí ({vn(points)} điểm) của {who}{kind}"
