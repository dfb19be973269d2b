"""The ranking a province publishes, as a workbook: one sheet per index (sở; xã, phường, đặc khu), one table per
cluster, with the maximum each unit was scored on, its deductions and bonus, its index and its rating."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from par_score.outputs.excel.cells import (
    AREA_FILL,
    BOLD,
    BORDER,
    NUMBER_FORMAT,
    TITLE_FONT,
    WRAP,
    header_row,
    put,
    workbook_bytes,
)
from par_score.outputs.ranking import NOT_RANKED, ClusterRanking, Publication

COLUMNS = (
    ("Hạng", 7),
    ("Mã đơn vị", 22),
    ("Đơn vị", 44),
    ("Loại đơn vị", 14),
    ("Điểm tối đa", 11),
    ("Điểm đạt", 11),
    ("Điểm trừ", 10),
    ("Điểm thưởng", 11),
    ("Chỉ số (%)", 11),
    ("Xếp loại", 12),
    ("Ghi chú", 30),
)
SHEET_NAMES = {"so": "Sở, ban, ngành", "xa": "Xã, phường, đặc khu", "tinh": "Tỉnh", "huyen": "Huyện"}


def _sheet_title(pub: Publication, taken: set[str]) -> str:
    base = SHEET_NAMES.get(pub.unit_level, pub.catalogue)[:28]
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:26]} {n}", n + 1
    taken.add(title)
    return title


def _cluster(ws, row: int, cluster: ClusterRanking) -> int:
    title = cluster.name + (" — ước tính (số liệu điều tra xem trước)" if cluster.estimated else "")
    cell = ws.cell(row=row, column=1)
    put(cell, title)
    cell.font = BOLD
    cell.fill = AREA_FILL
    header_row(ws, [name for name, _ in COLUMNS], row=row + 1)
    row += 2
    for standing in cluster.standings:
        r = standing.row
        note = ""
        if standing.rank is None:
            note = NOT_RANKED
        elif r.index_pct is not None and r.index_pct > 100:
            note = "vượt 100 % do điểm thưởng"
        values = [
            standing.rank if standing.rank is not None else "—",
            r.unit_code,
            r.unit_name,
            r.profile or "",
            r.index_max,
            r.index_points,
            r.deducted,
            r.bonus,
            r.index_pct,
            standing.rating.name if standing.rating else "",
            note,
        ]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column)
            put(cell, value)
            cell.border = BORDER
            cell.alignment = WRAP
            if column >= 5 and column <= 9 and value is not None:
                cell.number_format = NUMBER_FORMAT
        row += 1
    return row + 1


def build_ranking_workbook(publications: list[Publication], *, province: str = "", year: int) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for pub in publications:
        ws = wb.create_sheet(_sheet_title(pub, taken))
        title = ws.cell(row=1, column=1)
        put(title, f"Chỉ số CCHC năm {year}" + (f" — {province}" if province else ""))
        title.font = TITLE_FONT
        put(ws.cell(row=2, column=1), f"{pub.title} (danh mục {pub.catalogue})")
        put(
            ws.cell(row=3, column=1),
            f"Xếp hạng trong từng khối theo Chỉ số giảm dần (so sánh đến {pub.precision} chữ số thập phân); bằng "
            "Chỉ số thì đồng hạng, hạng kế tiếp bỏ qua.",
        )
        row = 5
        for cluster in [*pub.clusters, *([pub.overall] if pub.overall else [])]:
            row = _cluster(ws, row, cluster)
        for position, (_, width) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(position)].width = width
    return wb


def ranking_workbook_bytes(publications: list[Publication], *, province: str = "", year: int) -> bytes:
    return workbook_bytes(build_ranking_workbook(publications, province=province, year=year))
