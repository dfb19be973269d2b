"""The improvement plan as a workbook: a summary sheet, then one sheet "Kế hoạch khắc phục" per agency with every
change to make (what, by when, points gained), the giải trình still needed and what was missed.

Text cells are always text (never a formula); points are numeric cells holding the exact Decimal; deadlines are date
cells.
"""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from par_score.numbers import vn
from par_score.outputs.excel.cells import BOLD, BORDER, NUMBER_FORMAT, TITLE_FONT, WRAP, header_row, put, workbook_bytes
from par_score.planning.model import AgencyPlanOut, Plan
from par_score.planning.view import EXPLAIN, MISSED, TODO, summary_lines
from par_score.planning.wording import explanation_text, sentence

SUMMARY = "Tổng hợp"
SHEET_TITLE = "Kế hoạch khắc phục"
COLUMNS = (
    ("STT", 6),
    ("Mã", 9),
    ("Tiêu chí", 46),
    ("Điểm hiện tại", 10),
    ("Điểm tối đa", 10),
    ("Loại", 16),
    ("Việc cần làm", 70),
    ("Hạn chót", 12),
    ("Điểm tăng", 10),
    ("Điểm sau khi làm", 11),
    ("Cơ quan phối hợp", 24),
    ("Trong phương án đạt mục tiêu", 14),
    ("Ghi chú", 44),
)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(agency: str, taken: set[str]) -> str:
    """An agency's sheet name: the characters a sheet name cannot hold dropped, at most 31 characters, unique."""
    base = _SHEET_FORBIDDEN.sub(" ", agency).strip().strip("'") or "Cơ quan"
    name = base[:31]
    n = 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def _summary(wb: Workbook, plan: Plan) -> None:
    ws = wb.active
    ws.title = SUMMARY
    put(ws.cell(row=1, column=1), f"Kế hoạch khắc phục, nâng điểm Chỉ số CCHC năm {plan.year} — {plan.unit.name}")
    ws.cell(row=1, column=1).font = TITLE_FONT
    row = 2
    for line in summary_lines(plan):
        put(ws.cell(row=row, column=1), line)
        row += 1
    row += 1
    header_row(
        ws, ["Cơ quan chủ trì", "Tiêu chí có thể nâng điểm", "Điểm có thể tăng", "Giải trình còn thiếu", "Trang"], row
    )
    for agency, name in zip(plan.agencies, _names(plan), strict=True):
        row += 1
        put(ws.cell(row=row, column=1), agency.agency)
        put(ws.cell(row=row, column=2), sum(1 for leaf in agency.leaves if leaf.options))
        put(ws.cell(row=row, column=3), agency.best_gain)
        ws.cell(row=row, column=3).number_format = NUMBER_FORMAT
        put(ws.cell(row=row, column=4), agency.explanations)
        put(ws.cell(row=row, column=5), name)
    if plan.survey:
        row += 2
        put(ws.cell(row=row, column=1), "Điều tra xã hội học — do Bộ Nội vụ đánh giá, tỉnh không tự chấm")
        ws.cell(row=row, column=1).font = BOLD
        row += 1
        header_row(ws, ["Mã", "Mục điều tra", "Trọng số (điểm)", "Số liệu gần nhất"], row)
        for item in plan.survey:
            row += 1
            put(ws.cell(row=row, column=1), item.code)
            put(ws.cell(row=row, column=2), item.name)
            put(ws.cell(row=row, column=3), item.weight)
            ws.cell(row=row, column=3).number_format = NUMBER_FORMAT
            put(ws.cell(row=row, column=4), "; ".join(item.last_known) or f"chưa có ({item.status_label})")
            ws.cell(row=row, column=4).alignment = WRAP
    for column, size in zip("ABCDE", (48, 18, 16, 60, 30), strict=True):
        ws.column_dimensions[column].width = size


def _names(plan: Plan) -> list[str]:
    taken = {SUMMARY}
    return [sheet_name(agency.agency, taken) for agency in plan.agencies]


def _agency_sheet(wb: Workbook, plan: Plan, agency: AgencyPlanOut, name: str) -> None:
    ws = wb.create_sheet(name)
    put(ws.cell(row=1, column=1), f"{SHEET_TITLE} — {agency.agency}")
    ws.cell(row=1, column=1).font = TITLE_FONT
    put(
        ws.cell(row=2, column=1),
        f"Chỉ số CCHC năm {plan.year} — {plan.unit.name}; tính đến ngày {plan.as_of:%d/%m/%Y}",
    )
    header_row(ws, [title for title, _ in COLUMNS], 4)
    row = 4
    number = 0
    for leaf in agency.leaves:
        entries = []
        for option in leaf.options:
            alternatives = ["hoặc: " + "; ".join(c.text for c in alt) for alt in option.alternatives]
            entries.append(
                (
                    TODO,
                    "\n".join([option.text, *alternatives]),
                    option.deadline,
                    option.gain,
                    option.points_after,
                    "có" if option.in_target else "",
                    "; ".join(f"cũng tăng {e.leaf}: +{vn(e.gain)}" for e in option.side_effects),
                )
            )
        if leaf.explanation_needed:
            need = f"Tài liệu cần có: {leaf.required_evidence}" if leaf.required_evidence else ""
            action = sentence(explanation_text(plan.evidence_until))
            entries.append((EXPLAIN, action, plan.evidence_until, None, None, "", need))
        for missed in leaf.missed:
            entries.append(
                (MISSED, f"Lẽ ra: {missed.text}", missed.deadline, missed.gain, missed.points_after, "", missed.reason)
            )
        if not entries and leaf.note:
            entries.append((MISSED, "", None, None, None, "", leaf.note))
        for kind, action, deadline, gain, after, in_target, note in entries:
            row += 1
            number += 1
            values = [
                number,
                leaf.code,
                leaf.name,
                leaf.points,
                leaf.max,
                kind,
                action,
                deadline,
                gain,
                after,
                "; ".join(leaf.co_agencies),
                in_target,
                note,
            ]
            for column, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=column)
                put(cell, value)
                cell.border = BORDER
                cell.alignment = WRAP
                if column in (4, 5, 9, 10) and value is not None:
                    cell.number_format = NUMBER_FORMAT
    for position, (_, size) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(position)].width = size
    ws.freeze_panes = "C5"


def plan_bytes(plan: Plan) -> bytes:
    wb = Workbook()
    _summary(wb, plan)
    for agency, name in zip(plan.agencies, _names(plan), strict=True):
        _agency_sheet(wb, plan, agency, name)
    return workbook_bytes(wb)
