"""What the indicator kinds share: reading a figure as a ratio or as a value, the figures each form refuses, and
random figures for synthetic bundles."""

from __future__ import annotations

import decimal
from decimal import Decimal

from par_score.evidence.model import Metric
from par_score.numbers import HUNDRED, plain, vn, vn_ratio_percent
from par_score.rules.facts import InputValue, LeafFacts
from par_score.scales._kind import Found, SyntheticBuilder
from par_score.vocabulary import LeafState

_EXACT = decimal.Context(prec=40)
MAX_VALUE = Decimal(10) ** 9
MAX_RATIO_TERM = Decimal(10) ** 12
MAX_PERCENT = Decimal(10) ** 6


def metric_source(metric: Metric) -> str:
    parts = [p for p in (metric.source, f"kỳ {metric.period}" if metric.period else "") if p]
    return "; ".join(parts)


# ---- ratio kinds (numerator/denominator or percent) ---------------------------------------------------------------
def read_ratio(code: str, found: Found) -> LeafFacts:
    metric = found.metric
    assert metric is not None
    if metric.form == "ratio":
        ratio = _EXACT.divide(metric.numerator, metric.denominator)
        shown = vn_ratio_percent(ratio)
        relation = "" if shown.startswith("≈") else "= "
        display = f"{vn(metric.numerator)}/{vn(metric.denominator)} {relation}{shown}"
        value = f"{plain(metric.numerator)}/{plain(metric.denominator)}"  # canonical: 5928.0 and 5928 read alike
    else:
        ratio = _EXACT.divide(metric.percent, HUNDRED)
        display = f"{vn(metric.percent)} %"
        value = f"{plain(metric.percent)}%"
    read = InputValue(name="ratio", label="tỷ lệ", value=value, display=display, source=metric_source(metric))
    return LeafFacts(code, LeafState.VALUE, {"ratio": ratio}, (read,), tuple(metric.documents))


def check_ratio(metric: Metric, given, code: str, na_policy: str) -> list[tuple[str, str]]:
    if metric.form == "value":
        return [("value", f"tiêu chí {code} cần tỷ lệ: numerator + denominator hoặc percent")]
    if metric.form == "ratio":
        if metric.denominator > MAX_RATIO_TERM or metric.numerator > MAX_RATIO_TERM:
            return [("denominator", "số liệu quá lớn (tối đa 10^12)")]
        if metric.denominator == 0:
            hint = (
                f"; nếu nội dung không phát sinh, hãy khai báo not_applicable cho tiêu chí {code}"
                if na_policy != "none"
                else f"; tiêu chí {code} không được khai báo không phát sinh, cần số liệu thực tế"
            )
            return [("denominator", "mẫu số bằng 0" + hint)]
        if metric.numerator > metric.denominator and not given.ratio_may_exceed_one:
            return [("numerator", f"tử số ({vn(metric.numerator)}) lớn hơn mẫu số ({vn(metric.denominator)})")]
        return []
    if metric.percent > 100 and not given.ratio_may_exceed_one:
        return [("percent", f"tỷ lệ {vn(metric.percent)} % vượt quá 100 %")]
    if metric.percent > MAX_PERCENT:
        return [("percent", "tỷ lệ quá lớn")]
    return []


def ratio_hint(given) -> str:
    text = "Tỷ lệ: nhập Tử số và Mẫu số, hoặc Tỷ lệ (%)"
    return text + " (tử số có thể lớn hơn mẫu số)" if given.ratio_may_exceed_one else text


def synthesize_ratio(builder: SyntheticBuilder, given) -> None:
    rng = builder.rng
    if rng.random() < 0.7:
        denominator = rng.randint(1, 500)
        top = denominator * 13 // 10 if given.ratio_may_exceed_one else denominator
        low = denominator * 7 // 10
        fields = {"numerator": rng.randint(low, top), "denominator": denominator}
    else:
        high = 130 if given.ratio_may_exceed_one else 100
        fields = {"percent": str(Decimal(rng.randint(60 * 100, high * 100)) / 100)}
    builder.metric(given, fields)


# ---- value kinds (one number) -------------------------------------------------------------------------------------
def read_value(code: str, found: Found, variable: str, label: str) -> LeafFacts:
    metric = found.metric
    assert metric is not None
    read = InputValue(
        name=variable, label=label, value=plain(metric.value), display=vn(metric.value), source=metric_source(metric)
    )
    return LeafFacts(code, LeafState.VALUE, {variable: metric.value}, (read,), tuple(metric.documents))


def check_value(metric: Metric, code: str, *, whole: bool) -> list[tuple[str, str]]:
    if metric.form != "value":
        return [("value", f"tiêu chí {code} cần một giá trị (value), không phải tỷ lệ")]
    problems = []
    if whole:
        if metric.value < 0:
            problems.append(("value", f"số lượng không được âm (đang là {vn(metric.value)})"))
        elif metric.value != metric.value.to_integral_value():
            problems.append(("value", f"số lượng phải là số nguyên (đang là {vn(metric.value)})"))
    if abs(metric.value) > MAX_VALUE:
        problems.append(("value", "giá trị quá lớn (tối đa 1.000.000.000)"))
    return problems


def synthesize_count(builder: SyntheticBuilder, given) -> None:
    builder.metric(given, {"value": builder.rng.choice((0, 0, 1, 1, 2, 3, 5))})
