"""What the indicator kinds share: reading a figure as a ratio or as a value, the figures each form refuses, and
random figures for synthetic bundles.

The functions named like a kind's hooks (read_ratio, ratio_hint, synthesize_ratio, read_count, check_count,
synthesize_count, …) take the hook's arguments, so that a kind reading the same figure the same way binds them as
they are (`read = _figures.read_ratio`)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from math import ceil

from par_score.evidence.model import Metric
from par_score.evidence.wording import field_word, section_word
from par_score.numbers import HUNDRED, ONE, ZERO, plain, round_half_up, vn, vn_ratio_percent
from par_score.rules.bands import Band
from par_score.rules.conditions import Condition, compare
from par_score.rules.facts import ContributionValue, InputValue, LeafFacts
from par_score.scales._kind import Contribution, Found, SyntheticBuilder
from par_score.scales._planning import (
    Figure,
    Horizon,
    Proposal,
    Region,
    SetFigure,
    Standing,
    best_per_outcome,
    nearest,
    proposal,
    ratio_of,
    region,
    resolution,
)
from par_score.vocabulary import LeafState, NotApplicablePolicy

_EXACT = decimal.Context(prec=40)
MAX_VALUE = Decimal(10) ** 9
MAX_RATIO_TERM = Decimal(10) ** 12
MAX_PERCENT = Decimal(10) ** 6
FAR_RATIO_POINTS = Decimal(20)  # a ratio this many percentage points from last year's is worth a second look


def metric_source(metric: Metric) -> str:
    parts = [p for p in (metric.source, f"kỳ {metric.period}" if metric.period else "") if p]
    return "; ".join(parts)


def contributions(found: Found, shown) -> tuple[ContributionValue, ...]:
    """Each contribution as read (`shown(metric)` → (value, display)): listed when several figures were summed, or
    when the one figure names its contributor."""
    given = found.contributions
    if len(given) < 2 and not any(c.contributor for c in given):
        return ()
    return tuple(_contribution(c, shown) for c in given)


def _contribution(contribution: Contribution, shown) -> ContributionValue:
    value, display = shown(contribution.metric)
    return ContributionValue(
        contributor=contribution.contributor or "", value=value, display=display, where=contribution.where
    )


def _summed_label(found: Found) -> str:
    count = len(found.contributions)
    return f"tổng {count} đóng góp: " if count > 1 else ""


# ---- ratio kinds (numerator/denominator or percent) ---------------------------------------------------------------
def _ratio_of(metric: Metric) -> tuple[Decimal, str, str]:
    """(ratio, canonical value, Vietnamese display) of a figure given as numerator/denominator or as a percent."""
    if metric.form == "ratio":
        ratio = _EXACT.divide(metric.numerator, metric.denominator)
        shown = vn_ratio_percent(ratio)
        relation = "" if shown.startswith("≈") else "= "
        display = f"{vn(metric.numerator)}/{vn(metric.denominator)} {relation}{shown}"
        value = f"{plain(metric.numerator)}/{plain(metric.denominator)}"  # canonical: 5928.0 and 5928 read alike
        return ratio, value, display
    return _EXACT.divide(metric.percent, HUNDRED), f"{plain(metric.percent)}%", f"{vn(metric.percent)} %"


def read_ratio(code: str, scale, found: Found, year: int) -> LeafFacts:
    """The `read` hook of a kind reading a ratio."""
    metric = found.metric
    assert metric is not None
    ratio, value, display = _ratio_of(metric)
    read = InputValue(
        name="ratio", label="tỷ lệ", value=value, display=_summed_label(found) + display, source=metric_source(metric)
    )
    parts = contributions(found, lambda m: _ratio_of(m)[1:])
    return LeafFacts(code, LeafState.VALUE, {"ratio": ratio}, (read,), tuple(metric.documents), contributions=parts)


def check_ratio(metric: Metric, given, code: str, na_policy: str) -> list[tuple[str, str]]:
    if metric.form == "value":
        return [
            (
                "value",
                f"tiêu chí {code} cần tỷ lệ: {field_word('numerator')} + {field_word('denominator')} hoặc "
                f"{field_word('percent')}",
            )
        ]
    if metric.form == "ratio":
        if metric.denominator > MAX_RATIO_TERM or metric.numerator > MAX_RATIO_TERM:
            return [("denominator", "số liệu quá lớn (tối đa 10^12)")]
        if given.figures == "count":
            for name in ("numerator", "denominator"):
                figure = getattr(metric, name)
                if figure != figure.to_integral_value():
                    return [
                        (
                            name,
                            f"{field_word(name)} phải là số nguyên (đang là {vn(figure)}): chỉ số "
                            f"'{metric.indicator}' đếm số lượng (danh mục: figures: count); nếu chỉ có tỷ lệ, nhập "
                            f"vào {field_word('percent')}",
                        )
                    ]
        if metric.denominator == 0:
            hint = (
                f"; nếu nội dung không phát sinh, hãy khai báo {section_word('not_applicable')} cho tiêu chí {code}"
                if na_policy != NotApplicablePolicy.NONE
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


def soft_check_ratio(metric: Metric, given) -> list[tuple[str, str]]:
    """A ratio far from last year's (given as a percent) is worth a second look: a warning, never an error."""
    if metric.last_year is None or metric.form == "value" or (metric.form == "ratio" and metric.denominator == 0):
        return []
    percent = _ratio_of(metric)[0] * HUNDRED
    gap = abs(percent - metric.last_year)
    if gap < FAR_RATIO_POINTS:
        return []
    return [
        (
            "last_year",
            f"tỷ lệ năm nay {vn_ratio_percent(percent / HUNDRED)} khác xa năm trước {vn(metric.last_year)} % "
            f"(chênh {vn(round_half_up(gap))} điểm phần trăm, từ {vn(FAR_RATIO_POINTS)} trở lên): hãy kiểm tra lại "
            "số liệu",
        )
    ]


def ratio_hint(scale, given) -> str:
    """The `input_hint` hook of a kind reading a ratio."""
    text = "Tỷ lệ: nhập Tử số và Mẫu số, hoặc Tỷ lệ (%)"
    return text + " (tử số có thể lớn hơn mẫu số)" if given.ratio_may_exceed_one else text


def synthesize_ratio(builder: SyntheticBuilder, scale, given, code: str) -> None:
    """The `synthesize` hook of a kind reading a ratio."""
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
        name=variable,
        label=label,
        value=plain(metric.value),
        display=_summed_label(found) + vn(metric.value),
        source=metric_source(metric),
    )
    parts = contributions(found, lambda m: (plain(m.value), vn(m.value)))
    return LeafFacts(
        code, LeafState.VALUE, {variable: metric.value}, (read,), tuple(metric.documents), contributions=parts
    )


def soft_check_value(metric: Metric, given) -> list[tuple[str, str]]:
    """A value that moved by more than last year's size (and by more than 1) is worth a second look: a warning."""
    if metric.last_year is None or metric.form != "value":
        return []
    gap = abs(metric.value - metric.last_year)
    if gap <= max(abs(metric.last_year), Decimal(1)):
        return []
    return [
        (
            "last_year",
            f"giá trị năm nay {vn(metric.value)} khác xa năm trước {vn(metric.last_year)} (chênh {vn(gap)}): hãy kiểm "
            "tra lại số liệu",
        )
    ]


def check_value(metric: Metric, code: str, *, whole: bool) -> list[tuple[str, str]]:
    if metric.form != "value":
        return [("value", f"tiêu chí {code} cần một {field_word('value')}, không phải tỷ lệ")]
    problems = []
    if whole:
        if metric.value < 0:
            problems.append(("value", f"số lượng không được âm (đang là {vn(metric.value)})"))
        elif metric.value != metric.value.to_integral_value():
            problems.append(("value", f"số lượng phải là số nguyên (đang là {vn(metric.value)})"))
    if abs(metric.value) > MAX_VALUE:
        problems.append(("value", "giá trị quá lớn (tối đa 1.000.000.000)"))
    return problems


def read_count(code: str, scale, found: Found, year: int) -> LeafFacts:
    """The `read` hook of a kind counting cases."""
    return read_value(code, found, "count", "số lượng")


def check_count(metric: Metric, given, code: str, na_policy: str) -> list[tuple[str, str]]:
    """The `check_metric` hook of a kind counting cases: a whole number of cases, not negative."""
    return check_value(metric, code, whole=True)


def synthesize_count(builder: SyntheticBuilder, scale, given, code: str) -> None:
    """The `synthesize` hook of a kind counting cases."""
    builder.metric(given, {"value": builder.rng.choice((0, 0, 1, 1, 2, 3, 5))})


# ---- planning: the smallest change of a figure that reaches a region ---------------------------------------------
def _goal(variable: str, area: Region, upward: bool) -> Condition:
    if upward:
        return compare(variable, ">" if area.low_open else ">=", area.low)
    return compare(variable, "<" if area.high_open else "<=", area.high)


def plan_ratio(standing: Standing, horizon: Horizon, bands: list[Band], targets: list[Region]) -> list[Proposal]:
    """For each target region of the ratio not reached yet: the numerator moved at the same denominator, or
    (upwards, below 100 %) numerator and denominator raised by the same amount, or the percent moved; with no figure
    yet, the percent to report. Figures move on their own grid (whole numbers for whole figures)."""
    may_exceed = standing.given.ratio_may_exceed_one
    found: list[Proposal | None] = []
    if standing.facts.state == LeafState.MISSING:
        for area in targets:
            scaled = area.scaled(HUNDRED)
            percent = nearest(
                scaled, None, resolution(scaled.low, scaled.high, finest=2), ZERO, _percent_cap(given=may_exceed)
            )
            if percent is not None:
                change = SetFigure(
                    "percent",
                    None,
                    Figure(percent=percent),
                    _goal("ratio", area, area.low is not None),
                    horizon.last_day,
                )
                found.append(proposal(standing, bands, {"ratio": ratio_of(percent, HUNDRED)}, (change,)))
        return best_per_outcome(found)
    if standing.facts.state != LeafState.VALUE or standing.found is None or standing.found.metric is None:
        return []
    metric = standing.found.metric
    ratio = standing.facts.values["ratio"]
    by = horizon.year_end
    for area in targets:
        if area.holds(ratio):
            continue
        upward = area.below(ratio)
        goal = _goal("ratio", area, upward)
        if metric.form == "ratio":
            n, d = metric.numerator, metric.denominator
            before = Figure(numerator=n, denominator=d)
            step = resolution(n, d)
            moved = nearest(area.scaled(d), n, step, ZERO, None if may_exceed else d)
            if moved is not None and moved <= MAX_RATIO_TERM:
                change = SetFigure("numerator", before, Figure(numerator=moved, denominator=d), goal, by)
                found.append(proposal(standing, bands, {"ratio": ratio_of(moved, d)}, (change,)))
            added = _added_to_both(area, n, d, step) if upward else None
            if added is not None:
                change = SetFigure("both", before, Figure(numerator=n + added, denominator=d + added), goal, by)
                found.append(proposal(standing, bands, {"ratio": ratio_of(n + added, d + added)}, (change,)))
        else:
            scaled = area.scaled(HUNDRED)
            step = resolution(metric.percent, scaled.low, scaled.high, finest=2)
            moved = nearest(scaled, metric.percent, step, ZERO, _percent_cap(given=may_exceed))
            if moved is not None:
                change = SetFigure("percent", Figure(percent=metric.percent), Figure(percent=moved), goal, by)
                found.append(proposal(standing, bands, {"ratio": ratio_of(moved, HUNDRED)}, (change,)))
    return _alternatives_kept(found)


def _percent_cap(*, given: bool) -> Decimal:
    return MAX_PERCENT if given else HUNDRED


def _added_to_both(area: Region, n: Decimal, d: Decimal, step: Decimal) -> Decimal | None:
    """The smallest amount (a multiple of `step`) which, added to numerator and denominator alike, brings the ratio
    into `area` from below; None when no amount does (a bound of 100 % or more is never reached that way)."""
    if area.low is None or area.low >= ONE or n >= d:
        return None
    low = Fraction(area.low)
    needed = (low * Fraction(d) - Fraction(n)) / (1 - low)
    added = Decimal(ceil(needed / Fraction(step))) * step
    if added < ZERO:
        return None
    ratio = ratio_of(n + added, d + added)
    if area.low_open and ratio == area.low:
        added += step
        ratio = ratio_of(n + added, d + added)
    if d + added > MAX_RATIO_TERM or not area.holds(ratio):
        return None
    return added


def _alternatives_kept(found: list[Proposal | None]) -> list[Proposal]:
    """Every distinct proposal, best points first; alternatives reaching the same points stay (the planner offers
    them side by side)."""
    kept: dict[tuple, Proposal] = {}
    for item in found:
        if item is not None:
            shape = tuple((c.how, c.after) if isinstance(c, SetFigure) else c for c in item.changes)
            kept.setdefault((item.band, item.points, shape), item)
    return sorted(kept.values(), key=lambda p: -p.points)


def plan_value(standing: Standing, horizon: Horizon, bands: list[Band], targets: list[Region]) -> list[Proposal]:
    """For each target region of the value not reached yet, the value moved there (or, with no figure yet, the
    value to report), on the grid of its decimals (at least 0,01)."""
    found: list[Proposal | None] = []
    if standing.facts.state == LeafState.MISSING:
        for area in targets:
            value = nearest(area, None, resolution(area.low, area.high, finest=2))
            if value is not None:
                change = SetFigure(
                    "value", None, Figure(value=value), _goal("value", area, area.low is not None), horizon.last_day
                )
                found.append(proposal(standing, bands, {"value": value}, (change,)))
        return best_per_outcome(found)
    if standing.facts.state != LeafState.VALUE or standing.found is None or standing.found.metric is None:
        return []
    current = standing.facts.values["value"]
    for area in targets:
        if area.holds(current):
            continue
        upward = area.below(current)
        moved = nearest(area, current, resolution(current, area.low, area.high, finest=2), -MAX_VALUE, MAX_VALUE)
        if moved is not None:
            change = SetFigure(
                "value", Figure(value=current), Figure(value=moved), _goal("value", area, upward), horizon.year_end
            )
            found.append(proposal(standing, bands, {"value": moved}, (change,)))
    return best_per_outcome(found)


def better_regions(bands: list[Band], standing: Standing, variable: str) -> list[Region]:
    """The region on `variable` of each band (of fixed points) that scores more than the leaf does now, best first."""
    better = [band for band in bands if band.points.compute(standing.maximum, {}) > standing.points]
    return [region(band.conditions, variable) for band in better]
