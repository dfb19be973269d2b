"""Section I's chart: each area's percentage as a horizontal bar, drawn as inline SVG (no scripts, no images)."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

from par_score.numbers import round_half_up
from par_score.outputs.report.fonts import FONT_STACK
from par_score.outputs.report.summary import AreaRow

SELF_TITLE = "Tỷ lệ điểm tự đánh giá theo lĩnh vực"
APPRAISED_TITLE = "Tỷ lệ điểm sau thẩm định theo lĩnh vực"


def _coord(value: Decimal) -> str:
    return format(round_half_up(value, Decimal("0.1")), "f")


def bar_chart(rows: list[AreaRow], title: str = SELF_TITLE) -> Markup:
    """Horizontal bars of each row's percentage (`pct_value`), as inline SVG (1 unit = 0.25 mm)."""
    label_w, bar_w, row_h, bar_h, top, axis_h = (
        Decimal(100),
        Decimal(420),
        Decimal(30),
        Decimal(18),
        Decimal(8),
        Decimal(26),
    )
    width = Decimal(640)
    height = top + row_h * len(rows) + axis_h
    scale = bar_w / Decimal(100)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_coord(width)} {_coord(height)}" '
        f'width="{_coord(width / 4)}mm" height="{_coord(height / 4)}mm" role="img" '
        f'font-family="{FONT_STACK}" font-size="15">',
        f"<title>{escape(title)}</title>",
    ]
    bottom = top + row_h * len(rows)
    for tick in range(0, 101, 25):
        x = label_w + scale * tick
        parts.append(
            f'<line x1="{_coord(x)}" y1="{_coord(top)}" x2="{_coord(x)}" y2="{_coord(bottom)}" '
            f'stroke="{"#000" if tick == 0 else "#bbb"}" stroke-width="{"1" if tick == 0 else "0.6"}"/>'
        )
        parts.append(f'<text x="{_coord(x)}" y="{_coord(bottom + 18)}" text-anchor="middle">{tick} %</text>')
    for number, row in enumerate(rows):
        y = top + row_h * number
        middle = y + row_h / 2 + Decimal(5)
        parts.append(f'<text x="0" y="{_coord(middle)}">{escape("Lĩnh vực " + row.code)}</text>')
        if row.pct_value is None:
            parts.append(f'<text x="{_coord(label_w + 6)}" y="{_coord(middle)}">—</text>')
            continue
        length = scale * min(row.pct_value, Decimal(100))
        parts.append(
            f'<rect x="{_coord(label_w)}" y="{_coord(y + (row_h - bar_h) / 2)}" width="{_coord(length)}" '
            f'height="{_coord(bar_h)}" fill="#2f4f7f"/>'
        )
        parts.append(f'<text x="{_coord(label_w + length + 6)}" y="{_coord(middle)}">{escape(row.pct)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
