"""Evidence → the values each leaf reads (its facts), with the records behind them.

This is where a leaf's state is decided (value, missing evidence, not applicable, survey pending) and where
ratios, dates and counts are derived from the evidence records, exactly, in Decimal.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from decimal import Decimal

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.catalogue.model import (
    DocumentInput,
    IndicatorInput,
    PeriodicScale,
    SurveyInput,
)
from par_score.evidence.model import Bundle, Document, Metric, SurveyResult
from par_score.numbers import (
    HUNDRED,
    ONE,
    ZERO,
    plain,
    round_half_up,
    vn,
    vn_ratio_percent,
)
from par_score.scales.bands import (
    STATE_MISSING,
    STATE_NOT_APPLICABLE,
    STATE_OUT_OF_SCOPE,
    STATE_SURVEY_PENDING,
    STATE_VALUE,
    date_number,
)

_EXACT = decimal.Context(prec=40)


@dataclass(frozen=True)
class InputValue:
    """One value a leaf read, as shown to a user and an auditor."""

    name: str
    label: str
    value: str
    display: str
    source: str = ""


@dataclass(frozen=True)
class LeafFacts:
    code: str
    state: str
    values: dict[str, Decimal] = field(default_factory=dict)
    inputs: tuple[InputValue, ...] = ()
    documents: tuple[str, ...] = ()
    not_applicable_reason: str | None = None


def _ratio(metric: Metric) -> tuple[Decimal, InputValue]:
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
    return ratio, InputValue("ratio", "tỷ lệ", value, display, _metric_source(metric))


def _metric_source(metric: Metric) -> str:
    parts = [p for p in (metric.source, f"kỳ {metric.period}" if metric.period else "") if p]
    return "; ".join(parts)


def _survey_percent(result: SurveyResult, weights: dict[str, Decimal]) -> tuple[Decimal, InputValue]:
    if result.percent is not None:
        return result.percent, InputValue(
            "percent", "tỷ lệ điều tra", plain(result.percent), f"{vn(result.percent)} %", result.source
        )
    answers = result.answers or {}
    total = sum(answers.values())
    weighted = sum((weights[k] * v for k, v in answers.items()), ZERO)
    percent = _EXACT.divide(weighted * HUNDRED, Decimal(total))
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(answers.items()))
    display = f"{shown} → {vn(round_half_up(percent))} %"
    return percent, InputValue("percent", "tỷ lệ điều tra", str(percent), display, result.source)


def _document_facts(entry: LeafEntry, docs: list[Document], year: int) -> LeafFacts:
    code = entry.code
    topic = entry.input_key[1]
    on_topic = sorted((d for d in docs if topic in d.topics), key=lambda d: (d.issue_date, d.id))
    if not on_topic:
        return LeafFacts(code, STATE_MISSING)
    scale = entry.leaf.scale
    ids = tuple(d.id for d in on_topic)
    if scale.type == "binary":
        count = Decimal(len(on_topic))
        shown = "; ".join(f"{d.number} ngày {d.issue_date:%d/%m/%Y}" for d in on_topic)
        return LeafFacts(
            code,
            STATE_VALUE,
            {"present": count},
            (InputValue("present", "số văn bản", str(count), f"{vn(count)} ({shown})"),),
            ids,
        )
    if scale.type == "deadline":
        first = on_topic[0]
        value = date_number(first.issue_date)
        shown = f"{first.issue_date:%d/%m/%Y} ({first.number})"
        return LeafFacts(
            code,
            STATE_VALUE,
            {"issue_date": value},
            (InputValue("issue_date", "ngày ban hành", first.issue_date.isoformat(), shown),),
            (first.id,),
        )
    assert isinstance(scale, PeriodicScale)
    received = ZERO
    late = ZERO
    inputs = []
    used: list[str] = []
    for period in scale.periods:
        due = period.due_date(year)
        reports = sorted((d for d in on_topic if d.period == period.id), key=lambda d: (d.delivered, d.id))
        if not reports:
            inputs.append(InputValue(f"ky_{period.id}", f"báo cáo {period.name}", "", f"không có (hạn {due:%d/%m/%Y})"))
            continue
        report = reports[0]
        used.append(report.id)
        received += ONE
        on_time = report.delivered <= due
        if not on_time:
            late += ONE
        verdict = "đúng hạn" if on_time else "trễ hạn"
        sent = f", gửi ngày {report.sent_date:%d/%m/%Y}" if report.sent_date else ""
        inputs.append(
            InputValue(
                f"ky_{period.id}",
                f"báo cáo {period.name}",
                report.delivered.isoformat(),
                f"{report.number} ngày {report.issue_date:%d/%m/%Y}{sent} — {verdict} (hạn {due:%d/%m/%Y})",
            )
        )
    if received == ZERO:
        return LeafFacts(code, STATE_MISSING, inputs=tuple(inputs))
    summary = (
        InputValue("received", "số kỳ đã có báo cáo", str(received), f"{vn(received)}/{len(scale.periods)}"),
        InputValue("late", "số kỳ gửi trễ hạn", str(late), vn(late)),
    )
    return LeafFacts(code, STATE_VALUE, {"received": received, "late": late}, summary + tuple(inputs), tuple(used))


def _indicator_facts(entry: LeafEntry, metric: Metric | None) -> LeafFacts:
    code = entry.code
    if metric is None:
        return LeafFacts(code, STATE_MISSING)
    scale_type = entry.leaf.scale.type
    docs = tuple(metric.documents)
    if scale_type in ("count", "deduction"):
        return LeafFacts(
            code,
            STATE_VALUE,
            {"count": metric.value},
            (InputValue("count", "số lượng", plain(metric.value), vn(metric.value), _metric_source(metric)),),
            docs,
        )
    if scale_type == "value_bands":
        return LeafFacts(
            code,
            STATE_VALUE,
            {"value": metric.value},
            (InputValue("value", "giá trị", plain(metric.value), vn(metric.value), _metric_source(metric)),),
            docs,
        )
    ratio, shown = _ratio(metric)
    return LeafFacts(code, STATE_VALUE, {"ratio": ratio}, (shown,), docs)


def build_facts(index: CatalogueIndex, bundle: Bundle, scope: set[str] | None = None) -> list[LeafFacts]:
    """Facts for every leaf of the catalogue, in catalogue order. `scope`: leaf codes in an agency's preview."""
    metrics = {m.indicator: m for m in bundle.metrics}
    surveys = {s.item: s for s in bundle.survey}
    declared = {n.criterion: n for n in bundle.not_applicable}
    weights = index.catalogue.survey_answer_weights
    facts: list[LeafFacts] = []
    for entry in index.leaves:
        code = entry.code
        given = entry.leaf.input
        if scope is not None and code not in scope:
            facts.append(LeafFacts(code, STATE_OUT_OF_SCOPE))
        elif isinstance(given, SurveyInput):
            result = surveys.get(given.survey)
            if result is None:
                facts.append(LeafFacts(code, STATE_SURVEY_PENDING))
            else:
                percent, shown = _survey_percent(result, weights)
                facts.append(LeafFacts(code, STATE_VALUE, {"percent": percent}, (shown,)))
        elif code in declared:
            declaration = declared[code]
            facts.append(
                LeafFacts(
                    code,
                    STATE_NOT_APPLICABLE,
                    documents=tuple(declaration.documents),
                    not_applicable_reason=declaration.reason,
                )
            )
        elif isinstance(given, DocumentInput):
            facts.append(_document_facts(entry, bundle.documents, index.year))
        else:
            assert isinstance(given, IndicatorInput)
            facts.append(_indicator_facts(entry, metrics.get(given.indicator)))
    return facts
