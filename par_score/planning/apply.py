"""The one place a proposed change of evidence becomes evidence: a structured change + a bundle → a new bundle.

Issued documents and sent reports become document records dated on the change's deadline (the latest date the
proposal allows, so the re-score checks the promise at its edge); a figure's change replaces the indicator's figure
(keeping its period, source and documents) or adds the figure a leaf lacked. The bundle given is never modified.
"""

from __future__ import annotations

from collections.abc import Iterable

from par_score.catalogue import LeafEntry
from par_score.evidence.model import DOCUMENT_KINDS, Bundle, Document, Metric
from par_score.numbers import StatedPercent, to_decimal
from par_score.planning.model import ChangeOut
from par_score.rules.conditions import compare
from par_score.scales import Change, Figure, IssueDocument, SendReport, SetFigure

PLANNED_NUMBER = "Dự kiến"
PLANNED_SOURCE = "Số liệu dự kiến theo kế hoạch khắc phục"
_FORM_FIELDS = ("numerator", "denominator", "percent", "value")


def document_kind(entry: LeafEntry, bundle: Bundle) -> str:
    """The kind of document a leaf's topic calls for: that of the earliest document on its topic, else the kind its
    required evidence starts with ("Kế hoạch …", "Quyết định …"), else "van_ban_khac"."""
    topic = entry.input_key[1]
    on_topic = sorted((d for d in bundle.documents if topic in d.topics), key=lambda d: (d.issue_date, d.id))
    if on_topic:
        return on_topic[0].kind
    wanted = entry.leaf.required_evidence
    for kind, label in DOCUMENT_KINDS.items():
        if wanted.startswith(label) and kind != "van_ban_khac":
            return kind
    return "van_ban_khac"


def apply_changes(bundle: Bundle, entry: LeafEntry, changes: Iterable[Change]) -> Bundle:
    """`bundle` with `changes` made for leaf `entry`."""
    documents = list(bundle.documents)
    metrics = list(bundle.metrics)
    taken = {d.id for d in documents}
    kind = document_kind(entry, bundle)
    for change in changes:
        if isinstance(change, (IssueDocument, SendReport)):
            record = _planned_document(bundle, entry, change, _fresh_id(entry.code, taken), kind)
            taken.add(record.id)
            documents.append(record)
        elif isinstance(change, SetFigure):
            metrics = _with_figure(metrics, entry, change)
        else:  # pragma: no cover - every change type is handled above
            raise TypeError(f"unknown change {change!r}")
    return bundle.model_copy(update={"documents": documents, "metrics": metrics})


def _fresh_id(code: str, taken: set[str]) -> str:
    stem = f"du-kien-{code.replace('.', '-')}"
    n = 1
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def _planned_document(
    bundle: Bundle, entry: LeafEntry, change: IssueDocument | SendReport, doc_id: str, kind: str
) -> Document:
    topic = entry.input_key[1]
    if isinstance(change, SendReport):
        kind = "bao_cao"
        title = f"Báo cáo {change.period_name} dự kiến theo kế hoạch khắc phục — tiêu chí {entry.code}"
    else:
        title = f"{DOCUMENT_KINDS[kind]} dự kiến theo kế hoạch khắc phục — tiêu chí {entry.code}"
    record = {
        "id": doc_id,
        "kind": kind,
        "number": PLANNED_NUMBER,
        "issuer": bundle.unit.name,
        "issue_date": change.by,
        "title": title,
        "topics": [topic],
    }
    if isinstance(change, SendReport):
        record["period"] = change.period
    return Document.model_validate(record)


def _with_figure(metrics: list[Metric], entry: LeafEntry, change: SetFigure) -> list[Metric]:
    indicator = next(use.given.key for use in entry.uses if use.part == change.part)
    position = next((i for i, m in enumerate(metrics) if m.indicator == indicator), None)
    # A planned percentage is a percentage by construction: never taken for a fraction typed by mistake (0,5 %).
    figure = {k: StatedPercent(v) if k == "percent" else v for k, v in change.after.fields().items()}
    if position is None:
        metrics.append(Metric.model_validate({"indicator": indicator, "source": PLANNED_SOURCE, **figure}))
        return metrics
    # A summed indicator (combine: sum) has one record per contributor: the planned figure is the total, so it
    # replaces them all (one record, naming no contributor).
    given = [m for m in metrics if m.indicator == indicator]
    dropped = {*_FORM_FIELDS, "contributor", "origin"} if len(given) > 1 else {*_FORM_FIELDS}
    kept = metrics[position].model_dump(exclude=dropped)
    planned = Metric.model_validate({**kept, **figure})
    return [planned if i == position else m for i, m in enumerate(metrics) if i == position or m.indicator != indicator]


def change_from(out: ChangeOut) -> Change:
    """A change as plan.json gives it, back as a structured change (what a front end sends to try an option)."""
    if out.kind == "issue_document":
        return IssueDocument(out.by)
    if out.kind == "send_report":
        assert out.period is not None and out.due is not None
        return SendReport(out.period, out.period_name or out.period, out.due, out.by)
    assert out.how is not None and out.after is not None and out.goal_condition is not None
    before = Figure(**out.before) if out.before is not None else None
    variable, operator, threshold = out.goal_condition
    goal = compare(variable, operator, to_decimal(threshold))
    return SetFigure(out.how, before, Figure(**out.after), goal, out.by, out.part)
