"""The one place a proposed change of evidence becomes evidence: a structured change + a bundle → a new bundle.

Issued documents and sent reports become document records dated on the change's deadline (the latest date the
proposal allows, so the re-score checks the promise at its edge); a figure's change replaces the indicator's figure
(keeping its period, source and documents) or adds the figure a leaf lacked. The bundle given is never modified.
"""

from __future__ import annotations

from collections.abc import Iterable

from par_score.catalogue import LeafEntry
from par_score.evidence.model import DOCUMENT_KINDS, Bundle, Document, Metric
from par_score.scales import Change, Found, IssueDocument, SendReport, SetFigure

PLANNED_NUMBER = "Dự kiến"
PLANNED_SOURCE = "Số liệu dự kiến theo kế hoạch khắc phục"
_FORM_FIELDS = ("numerator", "denominator", "percent", "value")


def document_kind(entry: LeafEntry, found: Found | None) -> str:
    """The kind of document a leaf's topic calls for: that of the documents it has, else the kind its required
    evidence starts with ("Kế hoạch …", "Quyết định …"), else "van_ban_khac"."""
    if found is not None and found.documents:
        return found.documents[0].kind
    wanted = entry.leaf.required_evidence
    for kind, label in DOCUMENT_KINDS.items():
        if wanted.startswith(label) and kind != "van_ban_khac":
            return kind
    return "van_ban_khac"


def apply_changes(bundle: Bundle, entry: LeafEntry, changes: Iterable[Change], *, found: Found | None = None) -> Bundle:
    """`bundle` with `changes` made for leaf `entry` (whose evidence as read is `found`)."""
    documents = list(bundle.documents)
    metrics = list(bundle.metrics)
    taken = {d.id for d in documents}
    for change in changes:
        if isinstance(change, (IssueDocument, SendReport)):
            record = _planned_document(bundle, entry, change, _fresh_id(entry.code, taken), found)
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
    bundle: Bundle, entry: LeafEntry, change: IssueDocument | SendReport, doc_id: str, found: Found | None
) -> Document:
    topic = entry.leaf.input.key
    if isinstance(change, SendReport):
        kind = "bao_cao"
        title = f"Báo cáo {change.period_name} dự kiến theo kế hoạch khắc phục — tiêu chí {entry.code}"
    else:
        kind = document_kind(entry, found)
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
    indicator = entry.leaf.input.key
    position = next((i for i, m in enumerate(metrics) if m.indicator == indicator), None)
    figure = {k: v for k, v in change.after.fields().items()}
    if position is None:
        metrics.append(Metric.model_validate({"indicator": indicator, "source": PLANNED_SOURCE, **figure}))
        return metrics
    kept = metrics[position].model_dump(exclude={*_FORM_FIELDS})
    metrics[position] = Metric.model_validate({**kept, **figure})
    return metrics
