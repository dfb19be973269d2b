"""deadline (đúng hạn): the earliest document on the topic, issued by a band's date → that band's fraction of max."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field

from par_score.rules.bands import ZERO_POINTS, Band, FixedFraction, exclusive_bands, value_band
from par_score.rules.conditions import compare
from par_score.rules.facts import InputValue, LeafFacts
from par_score.rules.fields import DeclarationModel, Fraction, MonthDay, YearOffset, check_decreasing, month_day_in
from par_score.rules.variables import date_number
from par_score.scales._kind import Found, SyntheticBuilder
from par_score.scales._planning import Horizon, IssueDocument, Proposal, Standing, best_per_outcome, proposal
from par_score.vocabulary import LeafState

TYPE = "deadline"
LABEL = "đúng hạn"
INPUT = "document"
VARIABLES = ("issue_date",)


class DeadlineBand(Fraction):
    by: MonthDay
    year_offset: YearOffset = 0

    def date(self, evaluation_year: int) -> dt.date:
        return month_day_in(self.by, evaluation_year + self.year_offset)


class Model(DeclarationModel):
    type: Literal["deadline"]
    bands: list[DeadlineBand] = Field(min_length=1)


def validate(scale: Model, maximum: Decimal) -> None:
    check_decreasing(scale.bands)


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    declared = []
    for band in scale.bands:
        day = band.date(year)
        points = FixedFraction(band.fraction)
        label = f"Ban hành đến hết ngày {day:%d/%m/%Y}: {points.describe()}"
        declared.append((compare("issue_date", "<=", date_number(day)), band.fraction, label))
    bands = exclusive_bands(code, declared)
    late = bands[-1]
    bands[-1] = value_band(code, "tre-han", "Ban hành sau thời hạn: 0 điểm", late.conditions[1:], ZERO_POINTS)
    return bands


def read(code: str, scale: Model, found: Found, year: int) -> LeafFacts:
    first = found.documents[0]
    shown = f"{first.issue_date:%d/%m/%Y} ({first.number})"
    value = InputValue(name="issue_date", label="ngày ban hành", value=first.issue_date.isoformat(), display=shown)
    return LeafFacts(code, LeafState.VALUE, {"issue_date": date_number(first.issue_date)}, (value,), (first.id,))


def earliest_plausible(scale: Model, year: int, lead_days: int) -> dt.date:
    """A plan issued more than `lead_days` before its first deadline is last year's plan."""
    return scale.bands[0].date(year) - dt.timedelta(days=lead_days)


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """For each better band, a document on the topic issued by its date (the earliest document decides, so one
    issued earlier than the present one is enough; a date already past cannot be met any more)."""
    if standing.facts.state not in (LeafState.VALUE, LeafState.MISSING):
        return []
    bands = value_bands(standing.code, standing.maximum, standing.scale, horizon.year)
    earliest = max(horizon.first_day, earliest_plausible(standing.scale, horizon.year, horizon.lead_days))
    found = []
    for declared in standing.scale.bands:
        by = min(declared.date(horizon.year), horizon.last_day)
        if by < earliest:
            continue  # no document of the year can be dated that early
        found.append(proposal(standing, bands, {"issue_date": date_number(by)}, (IssueDocument(by),)))
    return best_per_outcome(found)


def synthesize(builder: SyntheticBuilder, scale: Model, given, code: str) -> None:
    rng, year = builder.rng, builder.year
    start, end = dt.date(year - 1, 11, 1), dt.date(year, 5, 31)
    builder.document(given.document, start + dt.timedelta(days=rng.randint(0, (end - start).days)))
