"""binary (có / không): a document on the leaf's topic exists → full marks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from par_score.numbers import ONE, vn
from par_score.rules.bands import FULL_POINTS, Band, value_band
from par_score.rules.conditions import compare
from par_score.rules.facts import InputValue, LeafFacts
from par_score.rules.fields import DeclarationModel
from par_score.scales._kind import Found, SyntheticBuilder
from par_score.scales._planning import Horizon, IssueDocument, Proposal, Standing, best_per_outcome, proposal
from par_score.vocabulary import LeafState

TYPE = "binary"
LABEL = "có / không"
INPUT = "document"
VARIABLES = ("present",)


class Model(DeclarationModel):
    type: Literal["binary"]


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    return [
        value_band(code, "co-van-ban", "Có văn bản: đạt điểm tối đa", (compare("present", ">=", ONE),), FULL_POINTS)
    ]


def read(code: str, scale: Model, found: Found, year: int) -> LeafFacts:
    docs = found.documents
    count = Decimal(len(docs))
    shown = "; ".join(f"{d.number} ngày {d.issue_date:%d/%m/%Y}" for d in docs)
    value = InputValue(name="present", label="số văn bản", value=str(count), display=f"{vn(count)} ({shown})")
    return LeafFacts(code, LeafState.VALUE, {"present": count}, (value,), tuple(d.id for d in docs))


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """Missing its document: issue one within the evaluation year (a leaf with a document has full marks)."""
    if standing.facts.state != LeafState.MISSING:
        return []
    bands = value_bands(standing.code, standing.maximum, standing.scale, horizon.year)
    issued = proposal(standing, bands, {"present": ONE}, (IssueDocument(horizon.year_end),))
    return best_per_outcome([issued])


def synthesize(builder: SyntheticBuilder, scale: Model, given, code: str) -> None:
    rng, year = builder.rng, builder.year
    start, end = dt.date(year - 1, 10, 1), dt.date(year, 12, 31)
    for _ in range(rng.choice((1, 1, 1, 2))):
        builder.document(given.document, start + dt.timedelta(days=rng.randint(0, (end - start).days)))
