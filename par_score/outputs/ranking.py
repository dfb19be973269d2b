"""The ranking of a batch: one row per unit, ranked by percentage, as a terminal table and as xep-hang.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from par_score.numbers import plain, vn, vn_percent
from par_score.outputs.terminal.columns import fit, right, width
from par_score.scoring.result import ScoreResult

RANKING_FORMAT = "par-score/ranking@1"


@dataclass(frozen=True)
class RankRow:
    unit_code: str
    unit_name: str
    source: str
    self_points: Decimal
    self_max: Decimal
    self_pct: Decimal | None
    index_points: Decimal | None
    index_max: Decimal | None
    index_pct: Decimal | None
    index_estimated: bool

    @classmethod
    def of(cls, result: ScoreResult, source: str) -> RankRow:
        t = result.totals
        return cls(
            unit_code=result.unit.code,
            unit_name=result.unit.name,
            source=source,
            self_points=t.self_.points,
            self_max=t.self_.max,
            self_pct=t.self_pct,
            index_points=t.index_points,
            index_max=t.index_max,
            index_pct=t.index_pct,
            index_estimated=t.index_estimated,
        )


def ranked(rows: list[RankRow]) -> tuple[str, list[tuple[int, RankRow]]]:
    """Rows in rank order with their rank (equal percentages share a rank: 1, 2, 2, 4) and what was ranked on.

    The index percentage ranks when every unit has one (survey values for all); otherwise the self-assessed
    percentage of the applicable self-scored maximum, which compares units with different "không phát sinh".
    """
    on_index = bool(rows) and all(r.index_pct is not None for r in rows)
    basis = "index" if on_index else "self"

    def key(row: RankRow) -> Decimal | None:
        return row.index_pct if on_index else row.self_pct

    ordered = sorted(rows, key=lambda r: (key(r) is None, -(key(r) or Decimal(0)), r.unit_code))
    result: list[tuple[int, RankRow]] = []
    for position, row in enumerate(ordered, start=1):
        if result and key(result[-1][1]) == key(row):
            result.append((result[-1][0], row))
        else:
            result.append((position, row))
    return basis, result


def _cell(text: str, columns: int, align_right: bool = False) -> str:
    return right(text, columns) if align_right else fit(text, columns)


def ranking_table(basis: str, rows: list[tuple[int, RankRow]]) -> str:
    show_index = any(r.index_pct is not None for _, r in rows)
    header = f"{_cell('Hạng', 5)}{_cell('Đơn vị', 40)}{_cell('Tự đánh giá', 16, True)}{_cell('Tỷ lệ', 11, True)}"
    if show_index:
        header += _cell("Chỉ số CCHC", 24, True)
    lines = [
        f"Xếp hạng {len(rows)} đơn vị theo "
        + ("Chỉ số CCHC (ước tính)" if basis == "index" else "tỷ lệ điểm tự đánh giá trên điểm tối đa áp dụng")
        + ":",
        "",
        header,
        "─" * width(header),
    ]
    for rank, row in rows:
        line = (
            f"{_cell(str(rank), 5)}{_cell(f'{row.unit_name} ({row.unit_code})', 40)}"
            f"{_cell(f'{vn(row.self_points)} / {vn(row.self_max)}', 16, True)}"
            f"{_cell(vn_percent(row.self_pct), 11, True)}"
        )
        if show_index:
            index = (
                "chờ BNV"
                if row.index_pct is None
                else f"{vn(row.index_points)}/{vn(row.index_max)} = {vn_percent(row.index_pct)}"
            )
            line += _cell(index + (" *" if row.index_estimated and row.index_pct is not None else ""), 24, True)
        lines.append(line)
    if show_index and any(r.index_estimated and r.index_pct is not None for _, r in rows):
        lines.append("")
        lines.append("* ước tính từ số liệu điều tra xem trước, không phải kết quả chính thức của Bộ Nội vụ.")
    return "\n".join(lines)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def ranking_json(basis: str, rows: list[tuple[int, RankRow]], *, catalogue: str, year: int, result_file: str) -> str:
    data = {
        "format": RANKING_FORMAT,
        "catalogue": catalogue,
        "year": year,
        "ranked_by": "index_pct" if basis == "index" else "self_pct",
        "units": [
            {
                "rank": rank,
                "unit": {"code": r.unit_code, "name": r.unit_name},
                "source": r.source,
                "result": f"{r.unit_code}/{result_file}",
                "self_points": _number(r.self_points),
                "self_max": _number(r.self_max),
                "self_pct": _number(r.self_pct),
                "index_points": _number(r.index_points),
                "index_max": _number(r.index_max),
                "index_pct": _number(r.index_pct),
                "index_estimated": r.index_estimated,
            }
            for rank, r in rows
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
