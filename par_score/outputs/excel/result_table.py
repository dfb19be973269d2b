"""The scored table as a workbook for appraisers: areas, criteria (TC) and scored items with their justification.

Every text cell is written as text (a value starting with =, +, -, @ is never a formula); numbers are numeric cells
holding the exact Decimal; criteria outside an agency preview read "ngoài phạm vi", never 0.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from par_score.numbers import ZERO, vn, vn_percent
from par_score.outputs.excel.cells import (
    AREA_FILL,
    BOLD,
    BORDER,
    NUMBER_FORMAT,
    TC_FILL,
    TITLE_FONT,
    WRAP,
    header_row,
    put,
    workbook_bytes,
)
from par_score.scoring.result import LeafOut, NodeOut, ScoreResult
from par_score.vocabulary import Source, Status

SHEET = "Kết quả chấm điểm"
INFO = "Thông tin"
OUT_OF_SCOPE = "ngoài phạm vi"

COLUMNS = (
    ("Mã", 9),
    ("Nội dung", 58),
    ("Cơ quan chủ trì", 20),
    ("Điểm tối đa", 10),
    ("Điểm", 10),
    ("Tình trạng", 30),
    ("Luật áp dụng", 42),
    ("Giá trị đã đọc", 36),
    ("Tài liệu kiểm chứng", 52),
    ("Điều kiện chưa đạt", 44),
    ("Giải trình", 44),
)


def _leaf_points(leaf: LeafOut) -> Decimal | str:
    if leaf.status == Status.OUT_OF_SCOPE:
        return OUT_OF_SCOPE
    if leaf.points is None:
        return "không tính" if leaf.status == Status.NOT_APPLICABLE_EXCLUDED else "chờ Bộ Nội vụ"
    return leaf.points


def _evidence(leaf: LeafOut) -> str:
    lines = []
    for doc in leaf.evidence:
        where = f" — {doc.locator}" if doc.locator else ""
        lines.append(f"{doc.number} ngày {doc.issue_date:%d/%m/%Y} của {doc.issuer}: {doc.title}{where}")
    if not lines and leaf.source == Source.SELF and leaf.status not in (Status.OUT_OF_SCOPE,):
        lines.append(
            "Không có"
            + (
                f". Cần: {leaf.required_evidence}"
                if leaf.status == Status.MISSING_EVIDENCE and leaf.required_evidence
                else ""
            )
        )
    return "\n".join(lines)


def _inputs(leaf: LeafOut) -> str:
    return "\n".join(f"{i.label}: {i.display}" + (f" (nguồn: {i.source})" if i.source else "") for i in leaf.inputs)


def _failed(leaf: LeafOut) -> str:
    return "\n".join(f"{f.band}: cần {f.condition}; thực tế: {f.actual_display}" for f in leaf.failed_conditions)


def _explanation(leaf: LeafOut) -> str:
    parts = []
    if leaf.not_applicable_reason:
        parts.append(f"Lý do không phát sinh: {leaf.not_applicable_reason}")
    if leaf.explanation:
        parts.append(leaf.explanation)
    elif leaf.status == Status.MISSING_EVIDENCE:
        parts.append("chưa có giải trình")
    return "\n".join(parts)


def _node_summary(node: NodeOut, leaves: list[LeafOut]) -> str:
    if all(leaf.status == Status.OUT_OF_SCOPE for leaf in leaves):
        return OUT_OF_SCOPE
    parts = [
        f"{vn(node.points)}/{vn(node.max)} điểm áp dụng"
        + (f" ({vn_percent(node.pct)})" if node.pct is not None else "")
    ]
    excluded = node.self_max != sum(
        (leaf.max for leaf in leaves if leaf.source == Source.SELF and leaf.status != Status.OUT_OF_SCOPE), ZERO
    )
    if excluded:
        parts.append("có tiêu chí không phát sinh không tính vào điểm tối đa")
    if node.survey_max and not node.includes_survey:
        parts.append(f"điều tra xã hội học ({vn(node.survey_max)} điểm): chờ Bộ Nội vụ")
    return "; ".join(parts)


class _Table:
    def __init__(self, ws, first_row: int):
        self.ws = ws
        self.row = first_row

    def add(self, values: list[object], *, fill=None, bold: bool = False) -> None:
        for position, value in enumerate(values, start=1):
            cell = self.ws.cell(row=self.row, column=position)
            put(cell, value)
            cell.border = BORDER
            cell.alignment = WRAP
            if isinstance(value, Decimal):
                cell.number_format = NUMBER_FORMAT
            if fill is not None:
                cell.fill = fill
            if bold:
                cell.font = BOLD
        self.row += 1


def _node_row(table: _Table, node: NodeOut, leaves: list[LeafOut], agency: str, fill) -> None:
    out = all(leaf.status == Status.OUT_OF_SCOPE for leaf in leaves)
    declared = sum((leaf.max for leaf in leaves), ZERO)
    points: object = OUT_OF_SCOPE if out else node.points
    table.add(
        [node.code, node.name, agency, declared, points, _node_summary(node, leaves), "", "", "", "", ""],
        fill=fill,
        bold=True,
    )


def _leaf_row(table: _Table, leaf: LeafOut, *, fill=None, bold: bool = False) -> None:
    rule = "" if leaf.status == Status.OUT_OF_SCOPE else f"{leaf.rule.id} — {leaf.rule.label}"
    table.add(
        [
            leaf.code,
            leaf.name,
            leaf.agency,
            leaf.max,
            _leaf_points(leaf),
            leaf.status_label,
            rule,
            _inputs(leaf),
            _evidence(leaf),
            _failed(leaf),
            _explanation(leaf),
        ],
        fill=fill,
        bold=bold,
    )


def _heading(ws, result: ScoreResult) -> int:
    t = result.totals
    cat = result.catalogue
    lines = [f"Kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {result.year} — {result.unit.name}"]
    note = " (danh mục tham chiếu, không phải Phụ lục chính thức của Bộ Nội vụ)" if cat.kind == "reference" else ""
    lines.append(f"Danh mục: {cat.id}, phiên bản {cat.version}{note}")
    if result.scope_agency:
        lines.append(
            f"Xem trước cho cơ quan: {result.scope_agency} — chỉ các tiêu chí do cơ quan chủ trì; các tiêu chí khác "
            f"ghi '{OUT_OF_SCOPE}'"
        )
    lines.append(f"Điểm tự đánh giá: {vn(t.self_.points)}/{vn(t.self_.max)} điểm ({vn_percent(t.self_pct)})")
    if t.index_pct is not None:
        estimated = " — ước tính (có số liệu điều tra xem trước)" if t.index_estimated else ""
        lines.append(f"Chỉ số CCHC: {vn(t.index_points)}/{vn(t.index_max)} điểm = {vn_percent(t.index_pct)}{estimated}")
    elif t.survey.max:
        lines.append(f"Phần điều tra xã hội học ({vn(t.survey.max)} điểm): chờ Bộ Nội vụ đánh giá")
    for row, text in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1)
        put(cell, text)
        if row == 1:
            cell.font = TITLE_FONT
    return len(lines) + 2


def _totals(table: _Table, result: ScoreResult) -> None:
    t = result.totals
    table.add(
        [
            "",
            "Tổng điểm tự đánh giá",
            "",
            t.self_.declared_max,
            t.self_.points,
            f"{vn(t.self_.points)}/{vn(t.self_.max)} điểm áp dụng ({vn_percent(t.self_pct)})",
            "",
            "",
            "",
            "",
            "",
        ],
        bold=True,
    )
    survey_points: object = t.survey.points if t.survey.points is not None else "chờ Bộ Nội vụ"
    survey_note = (
        "ước tính từ số liệu điều tra (xem trước)"
        if t.survey.estimated
        else ("" if t.survey.points is not None else "chờ Bộ Nội vụ đánh giá")
    )
    table.add(["", "Điều tra xã hội học", "", t.survey.max, survey_points, survey_note, "", "", "", "", ""], bold=True)
    if t.index_points is not None:
        estimated = " — ước tính (có số liệu điều tra xem trước)" if t.index_estimated else ""
        table.add(
            [
                "",
                "Chỉ số CCHC",
                "",
                t.index_max,
                t.index_points,
                f"{vn_percent(t.index_pct)}{estimated}",
                "",
                "",
                "",
                "",
                "",
            ],
            bold=True,
        )


def _info_sheet(wb: Workbook, result: ScoreResult) -> None:
    ws = wb.create_sheet(INFO)
    cat = result.catalogue
    rows = [
        ("Đơn vị", f"{result.unit.name} ({result.unit.code})"),
        ("Năm đánh giá", str(result.year)),
        ("Danh mục tiêu chí", f"{cat.title} — {cat.id}, phiên bản {cat.version}"),
        ("Loại danh mục", "danh mục tham chiếu" if cat.kind == "reference" else "danh mục chính thức"),
        ("Mã băm SHA-256 của danh mục", cat.sha256),
        ("Phạm vi", f"xem trước cho cơ quan {result.scope_agency}" if result.scope_agency else "toàn bộ danh mục"),
        ("Định dạng kết quả", result.format),
    ]
    for row, (label, value) in enumerate(rows, start=1):
        put(ws.cell(row=row, column=1), label)
        put(ws.cell(row=row, column=2), value)
        ws.cell(row=row, column=1).font = BOLD
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90


def build_export(result: ScoreResult) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    header_at = _heading(ws, result)
    header_row(ws, [name for name, _ in COLUMNS], row=header_at)
    for position, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(position)].width = width
    table = _Table(ws, header_at + 1)
    by_tc: dict[str, list[LeafOut]] = {}
    for leaf in result.criteria:
        by_tc.setdefault(leaf.tc, []).append(leaf)
    for area in result.areas:
        area_leaves = [leaf for leaf in result.criteria if leaf.area == area.code]
        _node_row(table, area, area_leaves, area.agency, AREA_FILL)
        for tc in area.criteria:
            leaves = by_tc.get(tc.code, [])
            if len(leaves) == 1 and leaves[0].code == tc.code:
                _leaf_row(table, leaves[0], fill=TC_FILL, bold=True)
                continue
            _node_row(
                table,
                tc,
                leaves,
                leaves[0].agency if len({leaf.agency for leaf in leaves}) == 1 else area.agency,
                TC_FILL,
            )
            for leaf in leaves:
                _leaf_row(table, leaf)
    _totals(table, result)
    ws.freeze_panes = ws.cell(row=header_at + 1, column=3)
    ws.auto_filter.ref = f"A{header_at}:{get_column_letter(len(COLUMNS))}{table.row - 1}"
    _info_sheet(wb, result)
    return wb


def export_bytes(result: ScoreResult) -> bytes:
    return workbook_bytes(build_export(result))
