"""Why a criterion missed its best band, in plain Vietnamese for the letter ("không có kỳ báo cáo nào gửi trễ hạn",
"văn bản ban hành ngày 12/01/2024, sau thời hạn (chậm nhất ngày 31/12/2023)", "giá trị đạt −0,5").

Phrased from the structured failed conditions of the result (variable, operator, threshold, actual value); the
machine wording of `explain` and ket-qua.json ("số kỳ gửi trễ hạn ≤ 0") is left as it is. Numbers follow the report's
rules: points and counts as exact decimals, percentages with two decimals (more only where two would hide a
shortfall), a real minus sign.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from par_score.numbers import HUNDRED, MINUS, round_half_up, vn, vn_percent, vn_signed
from par_score.scoring.result import FailedConditionOut


def signed(text: str) -> str:
    """A printed number with a real minus sign ("−0,5"), never a hyphen."""
    return MINUS + text[1:] if text.startswith("-") else text


def number(value: Decimal) -> str:
    return vn_signed(value)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, TypeError):
        return None
    return value if value.is_finite() else None


def _day(text: str) -> dt.date | None:
    """A date as the result writes it ("2023-12-31"), or as the bands compare it (20231231)."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        pass
    value = _decimal(text)
    if value is None or value != value.to_integral_value():
        return None
    n = int(value)
    try:
        return dt.date(n // 10000, n // 100 % 100, n % 100)
    except ValueError:
        return None


def percent_pair(actual: Decimal, threshold: Decimal) -> tuple[str, str]:
    """Two percentages (already ×100) with two decimals; the actual one with more only where two would round it
    onto the threshold and hide the shortfall."""
    shown = vn_percent(actual)
    for places in range(2, 7):
        if round_half_up(actual, Decimal(1).scaleb(-places)) != threshold:
            shown = vn_percent(actual, places)
            break
    return shown, vn_percent(threshold)


def _bound(op: str, threshold: str, unit: str = "") -> str:
    unit = f" {unit}" if unit else ""
    return {
        ">=": f"từ {threshold}{unit} trở lên",
        ">": f"trên {threshold}{unit}",
        "<=": f"không quá {threshold}{unit}",
        "<": f"dưới {threshold}{unit}",
        "==": f"bằng {threshold}{unit}",
    }.get(op, f"{op} {threshold}{unit}")


def _none_allowed(op: str, threshold: Decimal) -> bool:
    """Whether the condition asks for none at all: "< 1" or "≤ 0" of a count."""
    return (op == "<" and threshold == 1) or (op == "<=" and threshold == 0)


def _count_phrase(actual: Decimal, op: str, threshold: Decimal, thing: str, which: str = "") -> str:
    """ "có 1 kỳ báo cáo gửi trễ hạn, trong khi yêu cầu không có kỳ báo cáo nào gửi trễ hạn": `thing` is counted,
    `which` qualifies it (placed after "nào")."""
    which = f" {which}" if which else ""
    has = f"có {vn(actual)} {thing}{which}" if actual else f"không có {thing} nào{which}"
    if _none_allowed(op, threshold):
        return f"{has}, trong khi yêu cầu không có {thing} nào{which}"
    return f"{has}, chưa đạt mức {_bound(op, vn(threshold), thing + which)}"


def _date_phrase(actual: dt.date, op: str, threshold: dt.date) -> str:
    issued, limit = f"{actual:%d/%m/%Y}", f"{threshold:%d/%m/%Y}"
    clause = {
        "<=": f"sau thời hạn (chậm nhất ngày {limit})",
        "<": f"không trước ngày {limit} như yêu cầu",
        ">=": f"trước ngày {limit}, trong khi yêu cầu ban hành từ ngày này",
        ">": f"trong khi yêu cầu ban hành sau ngày {limit}",
    }.get(op, f"chưa đạt yêu cầu về ngày ban hành ({limit})")
    return f"văn bản ban hành ngày {issued}, {clause}"


def condition_phrase(failed: FailedConditionOut) -> str:
    """One failed condition as a clause of a Vietnamese sentence (lower-case start, no final full stop)."""
    op, variable = failed.operator, failed.variable
    if variable == "state":
        return failed.actual_display
    if variable == "issue_date":
        issued, limit = _day(failed.actual), _day(failed.threshold)
        if limit is None:
            return failed.actual_display
        return "chưa có văn bản" if issued is None else _date_phrase(issued, op, limit)
    actual, threshold = _decimal(failed.actual), _decimal(failed.threshold)
    if threshold is None:
        return failed.actual_display
    if actual is None:
        return {"ratio": "chưa có số liệu tỷ lệ", "percent": "chưa có số liệu điều tra"}.get(
            variable, "chưa có số liệu"
        )
    if variable in ("ratio", "percent"):
        scale = HUNDRED if variable == "ratio" else Decimal(1)
        shown, limit = percent_pair(actual * scale, threshold * scale)
        noun = "tỷ lệ" if variable == "ratio" else "tỷ lệ điều tra"
        return f"{noun} đạt {shown}, chưa đạt mức {_bound(op, limit)}"
    if variable == "late":
        return _count_phrase(actual, op, threshold, "kỳ báo cáo", "gửi trễ hạn")
    if variable == "received":
        if actual == 0:
            return f"chưa có kỳ báo cáo nào, trong khi yêu cầu {_bound(op, vn(threshold), 'kỳ báo cáo')}"
        return f"mới có {vn(actual)} kỳ báo cáo, chưa đạt mức {_bound(op, vn(threshold), 'kỳ báo cáo')}"
    if variable == "present":
        return _count_phrase(actual, op, threshold, "văn bản")
    if variable == "count":
        return _count_phrase(actual, op, threshold, "trường hợp")
    return f"giá trị đạt {number(actual)}, chưa đạt mức {_bound(op, number(threshold))}"


def shortfall_sentence(failed: list[FailedConditionOut]) -> str:
    """ "Chưa đạt điểm tối đa: tỷ lệ đạt 71,20 %, chưa đạt mức từ 75,00 % trở lên." — the conditions of the best band
    the criterion missed, joined by semicolons (each clause starts in lower case)."""
    clauses = [condition_phrase(f) for f in failed]
    return "Chưa đạt điểm tối đa: " + "; ".join(clauses) + "."
