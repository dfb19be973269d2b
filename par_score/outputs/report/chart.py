"""Section I's chart: each area's percentage as a horizontal bar named by the area, drawn with HTML and CSS (a table
of three columns: the area's name, which wraps like any text, the bar, and the value in a column of its own, so that
a label never collides with a bar, a gridline or another label)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from par_score.numbers import HUNDRED, round_half_up
from par_score.outputs.report.figures import Row

SELF_TITLE = "Tỷ lệ điểm tự đánh giá so với điểm tối đa phần tự đánh giá của từng lĩnh vực"
APPRAISED_TITLE = "Tỷ lệ điểm sau thẩm định so với điểm tối đa phần tự đánh giá của từng lĩnh vực"


@dataclass(frozen=True)
class Bar:
    label: str  # "1. Công tác chỉ đạo, điều hành cải cách hành chính"
    width: str  # the bar's length in % of the plot, as CSS ("89.3")
    value: str  # "89,29 %"


def bars(rows: list[Row]) -> list[Bar]:
    drawn = []
    for row in rows:
        if row.level != "area":
            continue
        share = row.pct_value
        width = (
            "0" if share is None else format(round_half_up(min(max(share, Decimal(0)), HUNDRED), Decimal("0.1")), "f")
        )
        drawn.append(Bar(label=f"{row.code}. {row.name}", width=width, value=row.cells.get("pct", "—")))
    return drawn
