"""What the pages show, taken from a ScoreResult and the stored records: no points are computed here — only the
engine's results are grouped by area and criterion, and the report's own wording (why a criterion fell short) reused."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.outputs.report.explanations import needs_explanation, shortfall
from par_score.scoring.result import LeafOut, ScoreResult
from par_score.web.workspace.catalogues import answers, applies, input_kind, leaf_codes
from par_score.web.workspace.models import Record

STATUS_CLASSES = {
    "full": "ok",
    "not_applicable_full": "ok",
    "partial": "partial",
    "zero": "bad",
    "not_achieved": "bad",
    "missing_evidence": "bad",
    "statistics_pending": "na",
    "not_for_profile": "na",
    "not_applicable_excluded": "na",
    "survey_pending": "na",
    "survey_estimated": "partial",
    "out_of_scope": "na",
}
UNANSWERED = ("missing_evidence", "out_of_scope", "survey_pending", "statistics_pending", "not_for_profile")


@dataclass
class LeafView:
    entry: LeafEntry
    out: LeafOut | None
    records: list[Record] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.entry.code

    @property
    def kind(self) -> str:
        return input_kind(self.entry)

    @property
    def shared_with(self) -> list[str]:
        """The other agencies responsible for the leaf (lead first), for an agency seeing a shared criterion."""
        return list(self.entry.agencies)

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES.get(self.out.status, "na") if self.out else "na"

    @property
    def shortfall(self) -> list[str]:
        if self.out is None or self.out.status == "missing_evidence":
            return []
        return shortfall(self.out)

    @property
    def explanation_missing(self) -> bool:
        return self.out is not None and needs_explanation(self.out) and not self.out.explanation


@dataclass
class CriterionGroup:
    code: str
    name: str
    leaves: list[LeafView]


@dataclass
class AreaGroup:
    code: str
    name: str
    criteria: list[CriterionGroup]


def grouped(
    index: CatalogueIndex,
    result: ScoreResult | None,
    records: list[Record],
    agency: str | None,
    profile: str | None = None,
) -> list[AreaGroup]:
    """The leaves that apply to the unit (those an agency leads or co-leads, or all) by area and criterion, each with
    its result and its records."""
    outs = {leaf.code: leaf for leaf in result.criteria} if result else {}
    by_leaf: dict[str, list[Record]] = {}
    for record in records:
        for code in leaf_codes(index, record.section, record.data):
            by_leaf.setdefault(code, []).append(record)
    areas: list[AreaGroup] = []
    for entry in index.leaves:
        if (agency is not None and not answers(entry, agency)) or not applies(index, entry, profile):
            continue
        if not areas or areas[-1].code != entry.area.code:
            areas.append(AreaGroup(entry.area.code, entry.area.name, []))
        area = areas[-1]
        if not area.criteria or area.criteria[-1].code != entry.criterion.code:
            area.criteria.append(CriterionGroup(entry.criterion.code, entry.criterion.name, []))
        area.criteria[-1].leaves.append(LeafView(entry, outs.get(entry.code), by_leaf.get(entry.code, [])))
    return areas


@dataclass
class Progress:
    """An agency's standing for the dashboard, read off its preview."""

    total: int
    answered: int
    missing: int
    explanation_missing: int
    points: Decimal | None
    maximum: Decimal | None


def progress(result: ScoreResult | None, agency: str) -> Progress | None:
    if result is None:
        return None
    own = [
        leaf
        for leaf in result.criteria
        if agency in (leaf.agency, *leaf.co_agencies) and leaf.source == "self" and leaf.status != "not_for_profile"
    ]
    return Progress(
        total=len(own),
        answered=sum(1 for leaf in own if leaf.status not in UNANSWERED),
        missing=sum(1 for leaf in own if leaf.status == "missing_evidence"),
        explanation_missing=sum(1 for leaf in own if needs_explanation(leaf) and not leaf.explanation),
        points=result.totals.self_.points,
        maximum=result.totals.self_.max,
    )


NUMBER_FIELDS = ("numerator", "denominator", "percent", "value", "points")


def _shown(name: str, value) -> str:
    from par_score.evidence.model import DOCUMENT_KINDS
    from par_score.numbers import vn

    if value is None or value == "" or value == []:
        return "—"
    if name in NUMBER_FIELDS:
        return vn(Decimal(str(value)))
    if name == "kind":
        return DOCUMENT_KINDS.get(value, value)
    if name in ("issue_date", "sent_date", "date") and isinstance(value, str):
        import datetime as dt

        return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        if "path" in value:
            return str(value["path"])
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def field_changes(before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field that differs between two stored records."""
    from par_score.evidence.merge import FIELD_NAMES

    labels = {
        **FIELD_NAMES,
        "id": "mã văn bản",
        "indicator": "chỉ số",
        "criterion": "tiêu chí",
        "item": "mục điều tra",
        "text": "giải trình",
        "submitted_at": "lúc nộp",
        "extended_until": "gia hạn đến",
        "report": "thông tin báo cáo",
        "name": "tên",
        "deadline": "hạn nộp",
        "username": "tài khoản",
        "role": "vai trò",
        "agency": "cơ quan",
        "password": "mật khẩu",
        "number": "số",
        "folder": "thư mục",
        "topic": "chủ đề văn bản",
        "note": "ghi chú",
        "statistic": "số liệu thống kê",
        "contributor": "đơn vị cung cấp",
        "contributors": "cơ quan gửi",
        "profile": "loại đơn vị",
        "cluster": "khối",
        "state": "giai đoạn",
        "council": "hội đồng thẩm định",
        "points": "điểm",
        "comment": "ý kiến",
        "appraiser": "người thẩm định",
        "round": "vòng",
        "reply_until": "hạn giải trình",
        "kind": "loại văn bản",
    }
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("nội dung", str(before), str(after))]
    rows = []
    for name in [*before, *(k for k in after if k not in before)]:
        if before.get(name) != after.get(name):
            rows.append((labels.get(name, name), _shown(name, before.get(name)), _shown(name, after.get(name))))
    return rows
