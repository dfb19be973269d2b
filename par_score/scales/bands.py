"""A leaf's declared scale, compiled into mutually exclusive bands of conditions.

Both the durable-rules engine and the pure evaluator read these bands, so they decide from the same declaration.
Every band's region excludes the bands above it, so exactly one band holds for any input: the trace can always
name the single band that fired, and the "why not" lists the conditions of the better bands that failed.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.catalogue.model import (
    BinaryScale,
    CountScale,
    DeadlineScale,
    DeductionScale,
    PeriodicScale,
    ProportionalScale,
    RatioBandsScale,
    SurveyScale,
    ThresholdBand,
    ValueBandsScale,
)
from par_score.errors import CatalogueError
from par_score.numbers import (
    HUNDRED,
    ONE,
    ZERO,
    round_half_up,
    vn,
    vn_exact_percent,
    vn_ratio_percent,
)

# Leaf states, decided from the evidence before any band is tried.
STATE_VALUE = "value"
STATE_MISSING = "missing"
STATE_NOT_APPLICABLE = "not_applicable"
STATE_SURVEY_PENDING = "survey_pending"
STATE_OUT_OF_SCOPE = "out_of_scope"

STATE_LABELS = {
    STATE_VALUE: "có tài liệu kiểm chứng",
    STATE_MISSING: "không có tài liệu kiểm chứng",
    STATE_NOT_APPLICABLE: "khai báo không phát sinh",
    STATE_SURVEY_PENDING: "chưa có số liệu điều tra",
    STATE_OUT_OF_SCOPE: "ngoài phạm vi",
}

# What each variable measures, and how its values are shown.
VARIABLE_LABELS = {
    "ratio": "tỷ lệ",
    "value": "giá trị",
    "count": "số lượng",
    "issue_date": "ngày ban hành",
    "present": "số văn bản",
    "received": "số kỳ đã có báo cáo",
    "late": "số kỳ gửi trễ hạn",
    "percent": "tỷ lệ điều tra",
}
DATE_VARIABLES = {"issue_date"}
RATIO_VARIABLES = {"ratio"}
COUNT_VARIABLES = {"count", "late", "received", "present"}  # whole numbers: "< 1" reads "= 0"

OPERATOR_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
NEGATION = {">=": "<", ">": "<=", "<=": ">", "<": ">="}


def date_number(day: dt.date) -> Decimal:
    """Dates enter the bands as yyyymmdd numbers: ordered like dates, readable in a trace."""
    return Decimal(day.year * 10000 + day.month * 100 + day.day)


def number_date(value: Decimal) -> dt.date:
    n = int(value)
    return dt.date(n // 10000, n // 100 % 100, n % 100)


def show_value(variable: str, value: Decimal | None) -> str:
    if value is None:
        return "không có"
    if variable in DATE_VARIABLES:
        return f"{number_date(value):%d/%m/%Y}"
    if variable in RATIO_VARIABLES:
        return vn_ratio_percent(value)
    if variable == "percent":
        return vn_exact_percent(value)
    return vn(value)


_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


@dataclass(frozen=True)
class Condition:
    variable: str
    op: str
    threshold: Decimal | str

    def holds(self, state: str, values: dict[str, Decimal]) -> bool:
        if self.variable == "state":
            return state == self.threshold
        actual = values.get(self.variable)
        if actual is None:
            return False
        return _COMPARE[self.op](actual, self.threshold)

    def describe(self) -> str:
        if self.variable == "state":
            return STATE_LABELS[str(self.threshold)]
        if self.variable in COUNT_VARIABLES and self.op == "<" and self.threshold == ONE:
            return f"{VARIABLE_LABELS[self.variable]} = 0"
        symbol = OPERATOR_SYMBOLS[self.op]
        return f"{VARIABLE_LABELS[self.variable]} {symbol} {show_value(self.variable, self.threshold)}"

    def actual(self, state: str, values: dict[str, Decimal]) -> str:
        if self.variable == "state":
            return STATE_LABELS[state]
        return show_value(self.variable, values.get(self.variable))

    def negated(self) -> Condition:
        return Condition(self.variable, NEGATION[self.op], self.threshold)


def _tighter(other: Condition, condition: Condition) -> bool:
    """True when `other` implies `condition` and is not the same condition."""
    if other is condition or other.variable != condition.variable or other.variable == "state":
        return False
    below, above = ("<", "<="), (">", ">=")
    if other.op in below and condition.op in below:
        return other.threshold < condition.threshold or (
            other.threshold == condition.threshold and other.op == "<" != condition.op
        )
    if other.op in above and condition.op in above:
        return other.threshold > condition.threshold or (
            other.threshold == condition.threshold and other.op == ">" != condition.op
        )
    return False


@dataclass(frozen=True)
class Points:
    """How a band turns into points: a fixed fraction of max, or a formula over one variable."""

    kind: str  # fraction | per_item | deduction | proportional | survey | none
    fraction: Decimal = ZERO
    per_item: Decimal = ZERO

    def compute(self, maximum: Decimal, values: dict[str, Decimal]) -> Decimal | None:
        if self.kind == "fraction":
            return maximum * self.fraction
        if self.kind == "per_item":
            return min(maximum, self.per_item * values["count"])
        if self.kind == "deduction":
            return max(ZERO, maximum - self.per_item * values["count"])
        if self.kind == "proportional":
            return min(maximum, round_half_up(maximum * values["ratio"]))
        if self.kind == "survey":
            return min(maximum, round_half_up(maximum * values["percent"] / HUNDRED))
        return None

    def describe(self) -> str:
        if self.kind == "fraction":
            if self.fraction == ONE:
                return "điểm tối đa"
            if self.fraction == ZERO:
                return "0 điểm"
            return f"{vn(self.fraction * HUNDRED)} % điểm tối đa"
        if self.kind == "per_item":
            return f"{vn(self.per_item)} điểm mỗi trường hợp, không quá điểm tối đa"
        if self.kind == "deduction":
            return f"điểm tối đa trừ {vn(self.per_item)} điểm mỗi trường hợp, thấp nhất 0"
        if self.kind == "proportional":
            return "điểm tối đa × tỷ lệ"
        if self.kind == "survey":
            return "điểm tối đa × tỷ lệ điều tra (ước tính)"
        return "chưa có điểm"


@dataclass(frozen=True)
class Band:
    leaf: str
    key: str
    label: str
    status: str
    conditions: tuple[Condition, ...]
    points: Points

    @property
    def id(self) -> str:
        return f"{self.leaf}/{self.key}"

    @property
    def is_value_band(self) -> bool:
        first = self.conditions[0] if self.conditions else None
        return first is not None and first.variable == "state" and first.op == "==" and first.threshold == STATE_VALUE

    def holds(self, state: str, values: dict[str, Decimal]) -> bool:
        return all(c.holds(state, values) for c in self.conditions)

    def describe_conditions(self) -> str:
        """The band's conditions in words, leaving out those implied by a tighter one ("< 100 %" beside "< 80 %")."""
        shown = [
            c for c in self.conditions if c.variable != "state" and not any(_tighter(o, c) for o in self.conditions)
        ]
        parts = [c.describe() for c in shown]
        return " và ".join(parts) if parts else STATE_LABELS[str(self.conditions[0].threshold)]


@dataclass(frozen=True)
class LeafRules:
    entry: LeafEntry
    bands: tuple[Band, ...]
    variables: tuple[str, ...] = field(default=())

    @property
    def code(self) -> str:
        return self.entry.code


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _state(state: str) -> Condition:
    return Condition("state", "==", state)


def _threshold_condition(variable: str, band: ThresholdBand) -> Condition:
    return Condition(variable, band.operator, band.threshold)


def _exclusive(variable: str, bands: list[tuple[Condition, Decimal]], leaf: str, labels: list[str]) -> list[Band]:
    """Bands in declared order, each excluding those above it, then the remainder as 'không đạt'."""
    compiled: list[Band] = []
    earlier: list[Condition] = []
    for i, (condition, fraction) in enumerate(bands):
        conditions = (_state(STATE_VALUE), *[c.negated() for c in earlier], condition)
        compiled.append(
            Band(leaf, f"muc-{i + 1}", labels[i], "scored", conditions, Points("fraction", fraction=fraction))
        )
        earlier.append(condition)
    remainder = (_state(STATE_VALUE), *[c.negated() for c in earlier])
    compiled.append(Band(leaf, "khong-dat", "Không đạt mức nào: 0 điểm", "scored", remainder, Points("fraction")))
    return compiled


def compile_leaf(entry: LeafEntry, year: int) -> LeafRules:
    leaf = entry.leaf
    code = leaf.code
    scale = leaf.scale
    bands: list[Band] = []

    if leaf.source == "survey":
        bands.append(
            Band(
                code,
                "cho-bnv",
                "Chờ Bộ Nội vụ đánh giá (điều tra xã hội học)",
                "survey_pending",
                (_state(STATE_SURVEY_PENDING),),
                Points("none"),
            )
        )
    else:
        bands.append(
            Band(
                code,
                "thieu-tlkc",
                "Không có tài liệu kiểm chứng: 0 điểm, cần giải trình",
                "missing_evidence",
                (_state(STATE_MISSING),),
                Points("fraction"),
            )
        )
        if leaf.not_applicable == "full":
            bands.append(
                Band(
                    code,
                    "khong-phat-sinh",
                    "Không phát sinh: đạt điểm tối đa",
                    "not_applicable_full",
                    (_state(STATE_NOT_APPLICABLE),),
                    Points("fraction", fraction=ONE),
                )
            )
        elif leaf.not_applicable == "exclude":
            bands.append(
                Band(
                    code,
                    "khong-phat-sinh",
                    "Không phát sinh: không tính vào điểm tối đa",
                    "not_applicable_excluded",
                    (_state(STATE_NOT_APPLICABLE),),
                    Points("none"),
                )
            )
    bands.append(
        Band(
            code,
            "ngoai-pham-vi",
            "Ngoài phạm vi xem trước của cơ quan",
            "out_of_scope",
            (_state(STATE_OUT_OF_SCOPE),),
            Points("none"),
        )
    )

    value = _state(STATE_VALUE)
    variables: tuple[str, ...]
    if isinstance(scale, BinaryScale):
        variables = ("present",)
        bands.append(
            Band(
                code,
                "co-van-ban",
                "Có văn bản: đạt điểm tối đa",
                "scored",
                (value, Condition("present", ">=", ONE)),
                Points("fraction", fraction=ONE),
            )
        )
    elif isinstance(scale, DeadlineScale):
        variables = ("issue_date",)
        declared = []
        labels = []
        for band in scale.bands:
            day = band.date(year)
            declared.append((Condition("issue_date", "<=", date_number(day)), band.fraction))
            labels.append(
                f"Ban hành đến hết ngày {day:%d/%m/%Y}: {Points('fraction', fraction=band.fraction).describe()}"
            )
        bands.extend(_exclusive("issue_date", declared, code, labels))
        bands[-1] = Band(
            code, "tre-han", "Ban hành sau thời hạn: 0 điểm", "scored", bands[-1].conditions, Points("fraction")
        )
    elif isinstance(scale, PeriodicScale):
        variables = ("received", "late")
        n = Decimal(len(scale.periods))
        bands.append(
            Band(
                code,
                "du-dung-han",
                f"Đủ {vn(n)} kỳ báo cáo, tất cả đúng hạn: {Points('fraction', fraction=scale.on_time_fraction).describe()}",
                "scored",
                (value, Condition("received", ">=", n), Condition("late", "<=", ZERO)),
                Points("fraction", fraction=scale.on_time_fraction),
            )
        )
        bands.append(
            Band(
                code,
                "du-tre-han",
                f"Đủ {vn(n)} kỳ báo cáo, có kỳ trễ hạn: {Points('fraction', fraction=scale.late_fraction).describe()}",
                "scored",
                (value, Condition("received", ">=", n), Condition("late", ">", ZERO)),
                Points("fraction", fraction=scale.late_fraction),
            )
        )
        bands.append(
            Band(
                code,
                "thieu-ky",
                "Thiếu báo cáo của ít nhất một kỳ: 0 điểm",
                "scored",
                (value, Condition("received", "<", n)),
                Points("fraction"),
            )
        )
    elif isinstance(scale, (RatioBandsScale, ValueBandsScale)):
        variable = "ratio" if isinstance(scale, RatioBandsScale) else "value"
        variables = (variable,)
        declared = [(_threshold_condition(variable, b), b.fraction) for b in scale.bands]
        labels = [f"{_sentence(c.describe())}: {Points('fraction', fraction=f).describe()}" for c, f in declared]
        bands.extend(_exclusive(variable, declared, code, labels))
    elif isinstance(scale, ProportionalScale):
        variables = ("ratio",)
        bands.append(
            Band(
                code,
                "du",
                "Tỷ lệ ≥ 100 %: điểm tối đa",
                "scored",
                (value, Condition("ratio", ">=", ONE)),
                Points("fraction", fraction=ONE),
            )
        )
        bands.append(
            Band(
                code,
                "ty-le",
                "Tỷ lệ < 100 %: điểm tối đa × tỷ lệ",
                "scored",
                (value, Condition("ratio", "<", ONE)),
                Points("proportional"),
            )
        )
    elif isinstance(scale, CountScale):
        variables = ("count",)
        enough = Decimal(ceil(leaf.max / scale.per_item))
        bands.append(
            Band(
                code,
                "du-diem",
                f"Từ {vn(enough)} trường hợp trở lên: điểm tối đa",
                "scored",
                (value, Condition("count", ">=", enough)),
                Points("fraction", fraction=ONE),
            )
        )
        if enough > ONE:
            bands.append(
                Band(
                    code,
                    "theo-so-luong",
                    f"Từ 1 đến dưới {vn(enough)} trường hợp: {vn(scale.per_item)} điểm mỗi trường hợp",
                    "scored",
                    (value, Condition("count", ">=", ONE), Condition("count", "<", enough)),
                    Points("per_item", per_item=scale.per_item),
                )
            )
        bands.append(
            Band(
                code,
                "khong-co",
                "Không có trường hợp nào: 0 điểm",
                "scored",
                (value, Condition("count", "<", ONE)),
                Points("fraction"),
            )
        )
    elif isinstance(scale, DeductionScale):
        variables = ("count",)
        exhausted = Decimal(ceil(leaf.max / scale.per_item))
        bands.append(
            Band(
                code,
                "khong-vi-pham",
                "Không có vi phạm: điểm tối đa",
                "scored",
                (value, Condition("count", "<", ONE)),
                Points("fraction", fraction=ONE),
            )
        )
        if exhausted > ONE:
            bands.append(
                Band(
                    code,
                    "tru-diem",
                    f"Có từ 1 đến dưới {vn(exhausted)} trường hợp: trừ {vn(scale.per_item)} điểm mỗi trường hợp",
                    "scored",
                    (value, Condition("count", ">=", ONE), Condition("count", "<", exhausted)),
                    Points("deduction", per_item=scale.per_item),
                )
            )
        bands.append(
            Band(
                code,
                "tru-het",
                f"Từ {vn(exhausted)} trường hợp trở lên: 0 điểm",
                "scored",
                (value, Condition("count", ">=", exhausted)),
                Points("fraction"),
            )
        )
    elif isinstance(scale, SurveyScale):
        variables = ("percent",)
        bands.append(
            Band(
                code,
                "uoc-tinh-toi-da",
                "Ước tính: tỷ lệ điều tra 100 % → điểm tối đa",
                "survey_estimated",
                (value, Condition("percent", ">=", HUNDRED)),
                Points("fraction", fraction=ONE),
            )
        )
        bands.append(
            Band(
                code,
                "uoc-tinh",
                "Ước tính từ số liệu điều tra: điểm tối đa × tỷ lệ",
                "survey_estimated",
                (value, Condition("percent", "<", HUNDRED)),
                Points("survey"),
            )
        )
    else:  # pragma: no cover - the catalogue model admits no other scale
        raise CatalogueError(f"Thang điểm '{scale.type}' chưa được hỗ trợ (tiêu chí {code}).")
    return LeafRules(entry=entry, bands=tuple(bands), variables=variables)


def compile_catalogue(index: CatalogueIndex) -> list[LeafRules]:
    return [compile_leaf(entry, index.year) for entry in index.leaves]
