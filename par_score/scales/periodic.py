"""periodic (báo cáo định kỳ): a report for every period, each delivered by its due date → on-time fraction of max;
every period reported, some late → late fraction; a period without a report → 0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from par_score.evidence.model import Document
from par_score.numbers import ONE, ZERO, vn
from par_score.rules.bands import ZERO_POINTS, Band, FixedFraction, value_band
from par_score.rules.conditions import compare
from par_score.rules.facts import InputValue, LeafFacts
from par_score.rules.fields import DeclarationModel, Identifier, MonthDay, UnitFraction, YearOffset, month_day_in
from par_score.scales._kind import Found, SyntheticBuilder
from par_score.scales._planning import Horizon, Proposal, SendReport, Standing, best_per_outcome, proposal
from par_score.vocabulary import LeafState

TYPE = "periodic"
LABEL = "báo cáo định kỳ"
INPUT = "document"
VARIABLES = ("received", "late")


class Period(DeclarationModel):
    id: Identifier
    name: str
    due: MonthDay
    year_offset: YearOffset = 0

    def due_date(self, evaluation_year: int) -> dt.date:
        return month_day_in(self.due, evaluation_year + self.year_offset)


class Model(DeclarationModel):
    type: Literal["periodic"]
    periods: list[Period] = Field(min_length=1)
    on_time_fraction: UnitFraction = Decimal(1)
    late_fraction: UnitFraction

    @model_validator(mode="after")
    def _late_earns_less(self) -> Model:
        if self.late_fraction > self.on_time_fraction:
            raise ValueError("late_fraction không được lớn hơn on_time_fraction")
        ids = [p.id for p in self.periods]
        if len(ids) != len(set(ids)):
            raise ValueError("mã kỳ báo cáo (periods[].id) phải duy nhất")
        return self


def value_bands(code: str, maximum: Decimal, scale: Model, year: int) -> list[Band]:
    n = Decimal(len(scale.periods))
    on_time, late = FixedFraction(scale.on_time_fraction), FixedFraction(scale.late_fraction)
    received_all = compare("received", ">=", n)
    return [
        value_band(
            code,
            "du-dung-han",
            f"Đủ {vn(n)} kỳ báo cáo, tất cả đúng hạn: {on_time.describe()}",
            (received_all, compare("late", "<=", ZERO)),
            on_time,
        ),
        value_band(
            code,
            "du-tre-han",
            f"Đủ {vn(n)} kỳ báo cáo, có kỳ trễ hạn: {late.describe()}",
            (received_all, compare("late", ">", ZERO)),
            late,
        ),
        value_band(
            code, "thieu-ky", "Thiếu báo cáo của ít nhất một kỳ: 0 điểm", (compare("received", "<", n),), ZERO_POINTS
        ),
    ]


def first_reports(scale: Model, documents: tuple[Document, ...]) -> dict[str, Document]:
    """Per period id, the report that counts: the first delivered (by delivery date, then id)."""
    first: dict[str, Document] = {}
    for document in sorted(documents, key=lambda d: (d.delivered, d.id)):
        if document.period is not None:
            first.setdefault(document.period, document)
    return {p.id: first[p.id] for p in scale.periods if p.id in first}


def read(code: str, scale: Model, found: Found, year: int) -> LeafFacts:
    """Per period, the first report delivered (by delivery date, then id); late when delivered after its due date.
    A period the unit declared not reported (không đạt; a declaration without a period covers the whole year) counts
    as missing; when no report came and every period was declared, the leaf is not achieved rather than missing."""
    received = ZERO
    late = ZERO
    declared_periods = 0
    inputs = []
    used: list[str] = []
    declarations = {d.period: d for d in found.not_achieved}
    first = first_reports(scale, found.documents)
    for period in scale.periods:
        due = period.due_date(year)
        report = first.get(period.id)
        if report is None:
            declaration = declarations.get(period.id) or declarations.get(None)
            if declaration is not None:
                declared_periods += 1
                note = f": {declaration.note}" if declaration.note else ""
                display = f"khai báo không gửi báo cáo{note} (hạn {due:%d/%m/%Y})"
                value = LeafState.NOT_ACHIEVED
            else:
                display, value = f"không có (hạn {due:%d/%m/%Y})", ""
            inputs.append(
                InputValue(name=f"ky_{period.id}", label=f"báo cáo {period.name}", value=value, display=display)
            )
            continue
        used.append(report.id)
        received += ONE
        on_time = report.delivered <= due
        if not on_time:
            late += ONE
        verdict = "đúng hạn" if on_time else "trễ hạn"
        sent = f", gửi ngày {report.sent_date:%d/%m/%Y}" if report.sent_date else ""
        inputs.append(
            InputValue(
                name=f"ky_{period.id}",
                label=f"báo cáo {period.name}",
                value=report.delivered.isoformat(),
                display=f"{report.number} ngày {report.issue_date:%d/%m/%Y}{sent} — {verdict} (hạn {due:%d/%m/%Y})",
            )
        )
    cited = tuple(dict.fromkeys(ref for d in found.not_achieved for ref in d.documents))
    if received == ZERO:
        state = LeafState.NOT_ACHIEVED if declared_periods == len(scale.periods) else LeafState.MISSING
        return LeafFacts(code, state, inputs=tuple(inputs), documents=cited if declared_periods else ())
    summary = (
        InputValue(
            name="received",
            label="số kỳ đã có báo cáo",
            value=str(received),
            display=f"{vn(received)}/{len(scale.periods)}",
        ),
        InputValue(name="late", label="số kỳ gửi trễ hạn", value=str(late), display=vn(late)),
    )
    documents = tuple(dict.fromkeys((*used, *cited)))
    return LeafFacts(code, LeafState.VALUE, {"received": received, "late": late}, summary + tuple(inputs), documents)


def periods(scale: Model) -> list[Period]:
    return list(scale.periods)


def plan(standing: Standing, horizon: Horizon) -> list[Proposal]:
    """All on time: a report delivered by its due date for every period not yet on time (a due date already past
    cannot be met any more). All received: a report for every missing period, on time while it still can be, late
    otherwise (by the end of the evidence window)."""
    if standing.facts.state not in (LeafState.VALUE, LeafState.MISSING):
        return []
    scale, year = standing.scale, horizon.year
    bands = value_bands(standing.code, standing.maximum, scale, year)
    first = first_reports(scale, standing.found.documents if standing.found else ())
    n = Decimal(len(scale.periods))

    def send(period: Period, by: dt.date) -> SendReport:
        return SendReport(period.id, period.name, period.due_date(year), by)

    def report_by(period: Period) -> dt.date:
        return min(period.due_date(year), horizon.last_day)

    not_on_time = [p for p in scale.periods if p.id not in first or first[p.id].delivered > p.due_date(year)]
    all_on_time = tuple(send(p, report_by(p)) for p in not_on_time)
    found = [proposal(standing, bands, {"received": n, "late": ZERO}, all_on_time)]
    missing = [p for p in scale.periods if p.id not in first]
    if missing:
        changes = tuple(send(p, report_by(p) if horizon.as_of <= report_by(p) else horizon.last_day) for p in missing)
        already_late = sum(
            (ONE for p in scale.periods if p.id in first and first[p.id].delivered > p.due_date(year)), ZERO
        )
        late = already_late + sum((ONE for c in changes if not c.on_time), ZERO)
        found.append(proposal(standing, bands, {"received": n, "late": late}, changes))
    return best_per_outcome(found)


def synthesize(builder: SyntheticBuilder, scale: Model, given, code: str) -> None:
    rng, year = builder.rng, builder.year
    for period in scale.periods:
        if rng.random() < 0.05:
            continue
        due = period.due_date(year)
        late = rng.random() < 0.15
        issued = due + dt.timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 20))
        builder.document(given.document, issued, period=period.id, kind="bao_cao")
