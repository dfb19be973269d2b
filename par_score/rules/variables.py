"""The variables that bands compare, what each measures and how its values are shown to a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from par_score.numbers import vn, vn_exact_percent, vn_ratio_percent


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    shown_as: str = "number"  # number | date | ratio | percent
    whole: bool = False  # counts: "< 1" reads "= 0"


VARIABLES = {
    v.name: v
    for v in (
        Variable("ratio", "tỷ lệ", "ratio"),
        Variable("value", "giá trị"),
        Variable("count", "số lượng", whole=True),
        Variable("issue_date", "ngày ban hành", "date"),
        Variable("present", "số văn bản", whole=True),
        Variable("received", "số kỳ đã có báo cáo", whole=True),
        Variable("late", "số kỳ gửi trễ hạn", whole=True),
        Variable("percent", "tỷ lệ điều tra", "percent"),
    )
}


def date_number(day: dt.date) -> Decimal:
    """Dates enter the bands as yyyymmdd numbers: ordered like dates, readable in a trace."""
    return Decimal(day.year * 10000 + day.month * 100 + day.day)


def number_date(value: Decimal) -> dt.date:
    n = int(value)
    return dt.date(n // 10000, n // 100 % 100, n % 100)


def show_value(variable: str, value: Decimal | None) -> str:
    """A variable's value as a person reads it: a date, a percent, or a Vietnamese number."""
    if value is None:
        return "không có"
    shown_as = VARIABLES[variable].shown_as
    if shown_as == "date":
        return f"{number_date(value):%d/%m/%Y}"
    if shown_as == "ratio":
        return vn_ratio_percent(value)
    if shown_as == "percent":
        return vn_exact_percent(value)
    return vn(value)
