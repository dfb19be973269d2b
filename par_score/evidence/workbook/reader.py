"""Read a filled evidence workbook (.xlsx) into a bundle part, with the same validation as a YAML bundle.

Every problem names the sheet, the row and the column ("Sheet 'Số liệu', dòng 14, cột 'Mẫu số'"), and every record
keeps that location (its Origin) so that the checks against the catalogue name it too. A row with a wrong cell is
left out and its problems kept (like an invalid record of a YAML file: see evidence.load); a wrong structure (sheets,
column headers, the 'Thông tin' sheet) or too many problems make the workbook unusable.

Safety: the file size and the unpacked size are bounded, XML parts with a DOCTYPE are refused, the workbook is read
in read-only mode, formulas are never evaluated (a cached value is used; a formula without one is an error), and
numbers come from the cell text without float arithmetic (`to_decimal` reads a float by its shortest repr).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from par_score.errors import InputError, Problem
from par_score.evidence.model import BundlePart, LoadProblem, Origin, Unit
from par_score.evidence.parts import LoadedPart, document_id, validate_record
from par_score.evidence.workbook.layout import (
    FIRST_DATA_ROW,
    INFO_ROWS,
    INFO_SHEET,
    INFO_VALUE_COLUMN,
    KIND_LABELS,
    LEVEL_LABELS,
    RECORD_SHEETS,
    Column,
    InfoRow,
    SheetLayout,
    choice,
    fold,
    match_header,
)
from par_score.io.text import nfc
from par_score.io.validation import problems_from
from par_score.numbers import plain, to_decimal

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 250 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAX_ROWS = 20_000
MAX_PROBLEMS = 200
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


# par_score writes "_x…_" text with its underscore escaped as "_x005F_" (see outputs.xlsx_cells); a spreadsheet
# program decodes that on opening, openpyxl does not for the inline strings it wrote itself.
_ESCAPED_UNDERSCORE = re.compile(r"_x005F_(?=x[0-9A-Fa-f]+_)")
# LibreOffice decodes "_xa_" in a saved string to a newline on every opening; an identifier never holds a control
# character, so one found in a code or id is put back as the escape it came from ("cap\ndat" → "cap_xa_dat").
_CONTROL = re.compile(r"[\x00-\x1f]")


def _identifier(text: str) -> str:
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):x}_", text)


class _Empty:
    pass


EMPTY = _Empty()


@dataclass(frozen=True)
class Cell:
    value: Any
    formula: bool = False
    number_format: str = "General"

    @property
    def blank(self) -> bool:
        if self.formula and self.value is None:
            return False
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


def sheet_record(sheet: str, row: int | None = None) -> str:
    return f"Sheet '{sheet}'" + (f", dòng {row}" if row is not None else "")


def column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---- opening -------------------------------------------------------------------------------------------------------
def _check_container(path: Path) -> None:
    where = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(Problem(f"không đọc được tệp ({exc.strerror})", file=where)) from None
    if size > MAX_WORKBOOK_BYTES:
        raise InputError(
            Problem(
                f"bảng tính quá lớn ({size:_} byte; tối đa {MAX_WORKBOOK_BYTES:_} byte)".replace("_", "."), file=where
            )
        )
    if not zipfile.is_zipfile(path):
        raise InputError(
            Problem(
                "không phải tệp Excel .xlsx hợp lệ (tệp .xls cũ hãy mở bằng Excel và lưu lại dạng .xlsx)", file=where
            )
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise InputError(Problem("bảng tính có quá nhiều thành phần", file=where))
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise InputError(Problem("bảng tính quá lớn khi giải nén", file=where))
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(member) as stream:
                        if _declares_dtd(stream):
                            raise InputError(
                                Problem("bảng tính chứa khai báo DOCTYPE/ENTITY, không được phép", file=where)
                            )
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(Problem(f"không phải tệp Excel .xlsx hợp lệ ({exc})", file=where)) from None


def _declares_dtd(stream) -> bool:
    """Whether an XML part declares a DOCTYPE or an ENTITY anywhere (not only in its first bytes: a long comment
    may come first). Read in chunks, with an overlap so that a marker split between two chunks is still seen."""
    tail = b""
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        window = tail + chunk.upper()
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            return True
        tail = window[-8:]
    return False


def _open(path: Path, *, data_only: bool):
    import openpyxl  # imported here: scoring YAML bundles never pays for it

    return openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_links=False, keep_vba=False)


def _sheet_rows(values_ws, formulas_ws, sheet: str, file: str) -> list[list[Cell]]:
    """All rows of a sheet (row n at index n - 1): cached values, with formula cells marked."""
    values_ws.reset_dimensions()
    formulas_ws.reset_dimensions()
    rows: list[list[Cell]] = []
    for number, (value_row, formula_row) in enumerate(
        zip_longest(values_ws.iter_rows(), formulas_ws.iter_rows()), start=1
    ):
        if number > MAX_ROWS:
            raise InputError(
                Problem(
                    f"sheet có quá nhiều dòng (tối đa {MAX_ROWS:_})".replace("_", "."),
                    file=file,
                    record=sheet_record(sheet),
                )
            )
        value_row = value_row or ()
        formula_row = formula_row or ()
        cells = []
        for position in range(max(len(value_row), len(formula_row))):
            value_cell = value_row[position] if position < len(value_row) else None
            formula_cell = formula_row[position] if position < len(formula_row) else None
            value = getattr(value_cell, "value", None)
            if isinstance(value, str):
                value = nfc(_ESCAPED_UNDERSCORE.sub("_", value))
            cells.append(
                Cell(
                    value=value,
                    formula=getattr(formula_cell, "data_type", None) == "f",
                    number_format=getattr(value_cell, "number_format", None) or "General",
                )
            )
        rows.append(cells)
    return rows


# ---- cells -----------------------------------------------------------------------------------------------------
class CellError(ValueError):
    pass


def _exact(value: Any, *, percent_cell: bool = False) -> Decimal:
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellError("phải là số")
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        raise CellError(f"ô có lỗi công thức ({value.strip()})")
    try:
        number = to_decimal(value)
    except ValueError:
        raise CellError("phải là số") from None
    if percent_cell:
        number = number.scaleb(2)  # a cell formatted as % holds 0.975 for 97,5 %
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
    return number


def _text(value: Any) -> str:
    if isinstance(value, bool):
        raise CellError("phải là văn bản")
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return plain(_exact(value))
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError("phải là văn bản")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise CellError("phải là văn bản")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError("phải là ngày, không kèm giờ")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise CellError("phải là ngày (nhập ngày của Excel, vd. 25/12/2023, hoặc văn bản dạng 2023-12-25)")


def _whole(value: Any) -> int:
    number = _exact(value)
    if number < 0 or number != number.to_integral_value():
        raise CellError("phải là số nguyên không âm")
    return int(number)


def _level(value: Any) -> str:
    text = _text(value)
    folded = fold(text).removeprefix("cấp ").strip()
    found = choice(text, LEVEL_LABELS) or choice(folded, {k: v.removeprefix("cấp ") for k, v in LEVEL_LABELS.items()})
    if found is None:
        raise CellError("cấp đơn vị không hợp lệ; chọn: " + ", ".join(LEVEL_LABELS.values()))
    return found


def convert(kind: str, cell: Cell) -> Any:
    """A cell's value for a field of kind `kind`; EMPTY for a blank cell; CellError with a Vietnamese message."""
    if cell.formula and cell.value is None:
        raise CellError(
            "ô chứa công thức chưa có giá trị đã tính; hãy nhập giá trị trực tiếp (hoặc mở tệp bằng Excel và lưu lại)"
        )
    if cell.blank:
        return EMPTY
    value = cell.value
    if isinstance(value, (dt.time, dt.timedelta)):
        raise CellError("không được là giờ")
    if kind in ("id", "code"):
        return _identifier(_text(value))
    if kind == "text":
        return _text(value)
    if kind == "list":
        text = _text(value).replace("\n", ";").replace(",", ";")
        return [part.strip() for part in text.split(";") if part.strip()]
    if kind in ("number", "nonneg"):
        percent_cell = "%" in cell.number_format
        try:
            number = _exact(value, percent_cell=percent_cell)
        except CellError as exc:
            if kind == "nonneg" and str(exc) == "phải là số":
                raise CellError("phải là số không âm") from None
            raise
        if kind == "nonneg" and number < 0:
            raise CellError("phải là số không âm")
        return number
    if kind in ("answer", "int"):
        return _whole(value)
    if kind == "date":
        return _date(value)
    if kind == "kind":
        found = choice(_text(value), KIND_LABELS)
        if found is None:
            raise CellError(
                f"loại văn bản '{_text(value)}' không hợp lệ; chọn trong danh sách: " + ", ".join(KIND_LABELS.values())
            )
        return found
    if kind == "level":
        return _level(value)
    raise AssertionError(kind)  # pragma: no cover - the layout declares no other kind


def _put(raw: dict[str, Any], field_name: str, value: Any) -> None:
    head, _, rest = field_name.partition(".")
    if rest:
        raw.setdefault(head, {})[rest] = value
    else:
        raw[head] = value


# ---- sheets ----------------------------------------------------------------------------------------------------
class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.file = str(path)
        self.problems: list[Problem] = []  # every problem, in the order found
        self.row_problems: list[LoadProblem] = []  # those of single rows (the others make the workbook unusable)

    def problem(self, message: str, sheet: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(message, file=self.file, record=sheet_record(sheet, row), field=column))

    def row_problem(self, message: str, origin: Origin, column: str | None, record_id: str | None = None) -> None:
        problem = Problem(message, file=self.file, record=origin.record, field=column)
        self.problems.append(problem)
        self.row_problems.append(LoadProblem(origin, problem, record_id))

    @property
    def usable(self) -> bool:
        return len(self.problems) == len(self.row_problems) <= MAX_PROBLEMS

    def header(self, layout: SheetLayout, rows: list[list[Cell]]) -> dict[int, Column] | None:
        sheet = layout.name
        if not rows or all(c.blank for c in rows[0]):
            self.problem("thiếu dòng tiêu đề cột (dòng 1)", sheet, 1)
            return None
        mapped: dict[int, Column] = {}
        seen: dict[str, str] = {}
        ok = True
        for position, cell in enumerate(rows[0]):
            if cell.blank:
                continue
            header = cell.value.strip() if isinstance(cell.value, str) else str(cell.value)
            column = match_header(layout, header)
            if column is None:
                self.problem("cột không có trong mẫu bảng tính (xem sheet 'Hướng dẫn')", sheet, 1, header)
                ok = False
                continue
            key = column.field or fold(column.header)
            if key in seen:
                self.problem(f"cột bị lặp lại (đã có cột '{seen[key]}')", sheet, 1, header)
                ok = False
                continue
            seen[key] = header
            mapped[position] = Column(column.field, header, column.kind, column.width, column.prefilled, column.note)
        present = {c.field for c in mapped.values()}
        for column in layout.columns:
            if column.field and column.field not in present:
                self.problem("thiếu cột bắt buộc", sheet, 1, column.header)
                ok = False
        return mapped if ok else None

    def records(
        self, layout: SheetLayout, rows: list[list[Cell]], part: dict[str, list], origins: dict[tuple[str, int], Origin]
    ) -> None:
        columns = self.header(layout, rows)
        if columns is None:
            return
        sheet, section = layout.name, layout.section
        fields = {c.field: c.header for c in columns.values() if c.field}
        answers = [c.header for c in columns.values() if c.field and c.field.startswith("answers.")]
        if answers:
            fields["answers"] = ", ".join(answers)
        for number, cells in enumerate(rows[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
            # A row's position in its sheet is its place in the file: check_bundle orders problems by it.
            origin = Origin(
                file=self.file,
                section=section,
                index=number - FIRST_DATA_ROW,
                record=sheet_record(sheet, number),
                fields=fields,
            )
            if self._blank(columns, cells, origin):
                continue
            raw: dict[str, Any] = {}
            wrong_cells: list[tuple[str, str]] = []
            for position, column in columns.items():
                if column.field is None or position >= len(cells):
                    continue
                try:
                    value = convert(column.kind, cells[position])
                except CellError as exc:
                    wrong_cells.append((str(exc), column.header))
                    continue
                if value is not EMPTY:
                    _put(raw, column.field, value)
            for message, header in wrong_cells:
                self.row_problem(message, origin, header, document_id(section, raw))
            if wrong_cells:
                continue
            try:
                record = validate_record(section, raw)
            except ValidationError as exc:
                for found in problems_from(exc, raw, self.file):
                    shown = fields.get(found.field or "", found.field) if found.field else None
                    if found.field and found.field.startswith("answers.") and found.field not in fields:
                        shown = fields.get("answers", found.field)
                    self.row_problem(found.message, origin, shown, document_id(section, raw))
                continue
            origins[(section, len(part[section]))] = origin
            part[section].append(record)

    def _blank(self, columns: dict[int, Column], cells: list[Cell], origin: Origin) -> bool:
        """A row with nothing but catalogue guidance and pre-filled keys is an unanswered row, not a record."""
        blank = True
        for position, cell in enumerate(cells):
            if cell.blank:
                continue
            column = columns.get(position)
            if column is None:
                self.row_problem("ô có dữ liệu nhưng cột không có tiêu đề", origin, column_letter(position))
                continue
            if column.field is not None and not column.prefilled:
                blank = False
        return blank

    def info(self, rows: list[list[Cell]]) -> tuple[dict[str, Any], dict[str, Origin]]:
        sheet = INFO_SHEET
        by_label: dict[str, InfoRow] = {}
        for row in INFO_ROWS:
            by_label[fold(row.label)] = row
            if row.field:
                by_label.setdefault(fold(row.field), row)
        found: dict[str, tuple[int, Cell]] = {}
        for number, cells in enumerate(rows[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
            label_cell = cells[0] if cells else Cell(None)
            value_cell = cells[INFO_VALUE_COLUMN - 1] if len(cells) >= INFO_VALUE_COLUMN else Cell(None)
            if label_cell.blank:
                if not value_cell.blank:
                    self.problem("giá trị không có tên thông tin ở cột A", sheet, number, "Giá trị")
                continue
            label = label_cell.value.strip() if isinstance(label_cell.value, str) else str(label_cell.value)
            row = by_label.get(fold(label))
            if row is None:
                if not value_cell.blank:
                    self.problem(f"thông tin '{label}' không có trong mẫu bảng tính", sheet, number, "Thông tin")
                continue
            if row.field is None:
                continue
            if row.field in found:
                self.problem(
                    f"thông tin '{label}' bị lặp lại (đã có ở dòng {found[row.field][0]})", sheet, number, "Thông tin"
                )
                continue
            found[row.field] = (number, value_cell)
        raw: dict[str, Any] = {}
        origins: dict[str, Origin] = {}
        for row in INFO_ROWS:
            if row.field is None:
                continue
            if row.field not in found:
                if row.field in ("unit.code", "unit.name", "year"):
                    self.problem(f"thiếu dòng '{row.label}'", sheet)
                continue
            number, cell = found[row.field]
            origins[row.field] = Origin(
                file=self.file,
                section="header",
                index=0,
                record=sheet_record(sheet, number),
                fields={row.field: "Giá trị"},
            )
            try:
                value = convert(row.kind, cell)
            except CellError as exc:
                self.problem(str(exc), sheet, number, "Giá trị")
                continue
            if value is EMPTY:
                if row.field in ("unit.code", "unit.name", "year"):
                    self.problem(f"chưa nhập {row.label.lower()}", sheet, number, "Giá trị")
                continue
            _put(raw, row.field, value)
        return raw, origins


def _validate_info(
    reader: _Reader, raw: dict[str, Any], origins: dict[str, Origin]
) -> tuple[Unit | None, int | None, str | None]:
    try:
        header = BundlePart.model_validate(raw)
    except ValidationError as exc:
        for found in problems_from(exc, raw, reader.file):
            origin = origins.get(found.field or "")
            if origin is not None:
                reader.problems.append(Problem(found.message, file=reader.file, record=origin.record, field="Giá trị"))
            else:
                reader.problems.append(
                    Problem(found.message, file=reader.file, record=sheet_record(INFO_SHEET), field=found.field)
                )
        return None, None, None
    return header.unit, header.year, header.catalogue


def read_workbook(path: Path | str) -> LoadedPart:
    """Read a workbook: its valid rows with their locations, and the problems of the rows left out.

    InputError, listing every problem, when the workbook is unusable (its structure is wrong, or too many problems).
    """
    path = Path(path)
    _check_container(path)
    reader = _Reader(path)
    values = formulas = None
    try:
        values = _open(path, data_only=True)
        formulas = _open(path, data_only=False)
        names = {fold(name): name for name in values.sheetnames}
        wanted = [INFO_SHEET, *(layout.name for layout in RECORD_SHEETS)]
        missing = [name for name in wanted if fold(name) not in names]
        for name in missing:
            reader.problem("thiếu sheet; bảng tính phải có các sheet: " + ", ".join(f"'{n}'" for n in wanted), name)
        sheets = {
            name: _sheet_rows(values[names[fold(name)]], formulas[names[fold(name)]], name, reader.file)
            for name in wanted
            if name not in missing
        }
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; none of them is our defect
        raise InputError(Problem(f"không đọc được bảng tính ({type(exc).__name__}: {exc})", file=reader.file)) from None
    finally:
        for book in (values, formulas):
            if book is not None:
                book.close()

    part: dict[str, list] = {layout.section: [] for layout in RECORD_SHEETS}
    origins: dict[tuple[str, int], Origin] = {}
    header_origins: dict[str, Origin] = {}
    unit = year = catalogue = None
    if INFO_SHEET in sheets:
        before = len(reader.problems)
        raw, header_origins = reader.info(sheets[INFO_SHEET])
        if len(reader.problems) == before:
            unit, year, catalogue = _validate_info(reader, raw, header_origins)
    for layout in RECORD_SHEETS:
        if layout.name in sheets:
            reader.records(layout, sheets[layout.name], part, origins)
    if not reader.usable:
        problems = reader.problems
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + [Problem(f"… và {rest} lỗi khác", file=reader.file)]
        raise InputError(problems)
    bundle_part = BundlePart(unit=unit, year=year, catalogue=catalogue, **part)
    return LoadedPart(path, bundle_part, origins, header_origins, reader.row_problems)
