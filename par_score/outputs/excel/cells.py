"""Writing workbook cells safely: text is always text (never a formula), numbers are exact, styles are shared."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook import Workbook

# Text a spreadsheet program would read as a formula (or as a DDE/command payload) when it starts with these.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

NUMBER_FORMAT = "#,##0.00##"  # 0,50 · 1.234,25 in a Vietnamese locale; up to 4 decimals shown
DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
GUIDE_FILL = PatternFill("solid", fgColor="EDEDED")
AREA_FILL = PatternFill("solid", fgColor="D9E1F2")
TC_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


# OOXML reads "_xHHHH_" in a string as an escaped character, and LibreOffice also reads shorter forms ("_xa_" is a
# newline): the indicator "ty_le_…_cap_xa_dat_chuan" would open as "…_cap\ndat_chuan". Escaping the underscore as
# "_x005F_" keeps such text literal in Excel and LibreOffice; evidence.xlsx undoes it for files openpyxl wrote.
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]+_)")


def clean_text(text: str) -> str:
    """Drop the control characters an .xlsx file cannot hold; keep "_x…_" sequences literal."""
    return _ESCAPE_LIKE.sub("_x005F_", ILLEGAL_CHARACTERS_RE.sub("", text))


def put(cell, value) -> None:
    """Write `value`: str as literal text (never a formula), Decimal/int as numbers, dates as dates, None as empty."""
    if value is None:
        cell.value = None
        return
    if isinstance(value, bool):
        value = "có" if value else "không"
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
        return
    if isinstance(value, float):  # pragma: no cover - par_score never holds binary floats
        raise TypeError("binary floats are not written; use Decimal")
    if isinstance(value, (int, Decimal)):
        cell.value = value
        return
    if isinstance(value, (dt.date, dt.datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    put(cell, str(value))


def header_row(ws, headers: list[str], row: int = 1, notes: list[str] | None = None) -> None:
    from openpyxl.comments import Comment

    for position, header in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=position)
        put(cell, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = BORDER
        if notes and notes[position - 1]:
            cell.comment = Comment(notes[position - 1], "par-score", width=320, height=110)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
