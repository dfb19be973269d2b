"""Differences between two results (self vs appraised, one year vs the next, two catalogue versions).

Per criterion: points before/after, the change, and why (reason codes below); per area and in total: the change.
A criterion is listed when anything that decides its points differs: points, maximum, status, the rule fired, its
inputs, its evidence, its not-applicable declaration, its appraisal, or its definition in the catalogue.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from par_score.numbers import vn
from par_score.scoring.result import Dec, LeafOut, ScoreResult
from par_score.vocabulary import Status

DIFF_FORMAT = "par-score/diff@1"
NOT_APPLICABLE = (Status.NOT_APPLICABLE_FULL, Status.NOT_APPLICABLE_EXCLUDED)

# Reason codes, in the order they are reported.
REASONS = {
    "only_in_a": "chỉ có trong A",
    "only_in_b": "chỉ có trong B",
    "catalogue_changed": "danh mục khác",
    "not_applicable_changed": "khai báo không phát sinh thay đổi",
    "band_changed": "mức (luật) áp dụng khác",
    "inputs_changed": "số liệu đầu vào khác",
    "evidence_added": "thêm tài liệu kiểm chứng",
    "evidence_removed": "bớt tài liệu kiểm chứng",
    "evidence_changed": "tài liệu kiểm chứng thay đổi",
    "appraisal_changed": "điểm thẩm định khác",
    "other": "khác (không xác định được nguyên nhân từ kết quả)",
}
ReasonCode = Literal[
    "only_in_a",
    "only_in_b",
    "catalogue_changed",
    "not_applicable_changed",
    "band_changed",
    "inputs_changed",
    "evidence_added",
    "evidence_removed",
    "evidence_changed",
    "appraisal_changed",
    "other",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reason(_Model):
    code: ReasonCode
    text: str


class CriterionDiff(_Model):
    code: str
    name: str
    area: str
    a_points: Dec | None
    b_points: Dec | None
    change: Dec | None
    a_max: Dec | None
    b_max: Dec | None
    a_status: str | None
    b_status: str | None
    a_status_label: str | None
    b_status_label: str | None
    reasons: list[Reason]

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]


class NodeDiff(_Model):
    code: str
    name: str
    a_points: Dec | None
    b_points: Dec | None
    change: Dec | None
    a_max: Dec | None
    b_max: Dec | None
    a_pct: Dec | None
    b_pct: Dec | None


class SideInfo(_Model):
    file: str
    unit: str
    unit_name: str
    year: int
    catalogue_id: str
    catalogue_version: str
    catalogue_sha256: str
    appraised: bool


class ResultDiff(_Model):
    format: Literal["par-score/diff@1"] = DIFF_FORMAT
    a: SideInfo
    b: SideInfo
    catalogue_changed: bool
    criteria: list[CriterionDiff]
    areas: list[NodeDiff]
    totals: list[NodeDiff]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def _change(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else b - a


def _pts(value: Decimal | None) -> str:
    return vn(value)


# ---- one leaf ----------------------------------------------------------------------------------------------------
def _appraised(leaf: LeafOut) -> tuple | None:
    """The points an appraisal set, when they differ from the self-assessed points (a confirmation changes nothing)."""
    a = leaf.appraisal
    if a is None or a.appraised_points is None or a.appraised_points == a.self_points:
        return None
    return (a.appraised_points, a.round, a.appraiser)


def _definition(leaf: LeafOut) -> tuple:
    return (leaf.name, leaf.max, leaf.scale, leaf.source, leaf.required_evidence)


def _signature(leaf: LeafOut) -> tuple:
    return (
        leaf.points,
        leaf.status,
        leaf.applicable,
        leaf.rule.id,
        leaf.rule.conditions,
        tuple((i.name, i.value) for i in leaf.inputs),
        tuple(e.model_dump_json() for e in leaf.evidence),
        leaf.not_applicable_reason,
        _appraised(leaf),
        _definition(leaf),
    )


def _catalogue_reason(a: LeafOut, b: LeafOut) -> str | None:
    parts = []
    if a.max != b.max:
        parts.append(f"điểm tối đa {_pts(a.max)} → {_pts(b.max)}")
    if a.scale != b.scale:
        parts.append(f"thang điểm {a.scale} → {b.scale}")
    if a.source != b.source:
        parts.append(f"nguồn điểm {a.source} → {b.source}")
    if a.name != b.name:
        parts.append("tên tiêu chí thay đổi")
    if a.required_evidence != b.required_evidence:
        parts.append("yêu cầu tài liệu kiểm chứng thay đổi")
    if a.rule.id == b.rule.id and a.rule.conditions != b.rule.conditions:
        parts.append(f"điều kiện của mức {a.rule.id}: {a.rule.conditions} → {b.rule.conditions}")
    return "; ".join(parts) or None


def _na_reason(a: LeafOut, b: LeafOut) -> str | None:
    a_na, b_na = a.status in NOT_APPLICABLE, b.status in NOT_APPLICABLE
    if a_na and not b_na:
        return "A khai báo không phát sinh, B không"
    if b_na and not a_na:
        return "B khai báo không phát sinh, A không"
    if a_na and b_na and (a.status != b.status or a.not_applicable_reason != b.not_applicable_reason):
        return "lý do hoặc cách tính không phát sinh thay đổi"
    return None


def _inputs_reason(a: LeafOut, b: LeafOut) -> str | None:
    a_in = {i.name: i for i in a.inputs}
    b_in = {i.name: i for i in b.inputs}
    parts = []
    for name in [*a_in, *(n for n in b_in if n not in a_in)]:
        x, y = a_in.get(name), b_in.get(name)
        if x is not None and y is not None and x.value == y.value:
            continue
        label = (x or y).label
        parts.append(f"{label}: {x.display if x else 'không có'} → {y.display if y else 'không có'}")
    return "; ".join(parts) or None


def _evidence_reasons(a: LeafOut, b: LeafOut) -> list[Reason]:
    a_ev = {e.id: e for e in a.evidence}
    b_ev = {e.id: e for e in b.evidence}
    reasons = []
    added = [e for i, e in b_ev.items() if i not in a_ev]
    removed = [e for i, e in a_ev.items() if i not in b_ev]
    changed = [i for i in a_ev if i in b_ev and a_ev[i] != b_ev[i]]
    if added:
        reasons.append(Reason(code="evidence_added", text="thêm: " + ", ".join(f"{e.id} ({e.number})" for e in added)))
    if removed:
        reasons.append(
            Reason(code="evidence_removed", text="bớt: " + ", ".join(f"{e.id} ({e.number})" for e in removed))
        )
    if changed:
        reasons.append(Reason(code="evidence_changed", text="thay đổi: " + ", ".join(changed)))
    return reasons


def _appraisal_text(leaf: LeafOut) -> str:
    a = _appraised(leaf)
    if a is None:
        return "chưa thẩm định"
    points, round_, appraiser = a
    return f"{_pts(points)} (vòng {round_}, {appraiser})"


def _confirmed_text(leaf: LeafOut) -> str:
    side = leaf.appraisal
    if side is None or side.appraised_points is None:
        return f"chưa thẩm định ({leaf.status_label})"
    return f"thẩm định {_pts(side.appraised_points)} (vòng {side.round}, {side.appraiser}; {leaf.status_label})"


def leaf_reasons(a: LeafOut, b: LeafOut, *, catalogue_changed: bool) -> list[Reason]:
    """Why leaf `a` became leaf `b`; empty when nothing that decides the points differs."""
    if _signature(a) == _signature(b):
        return []
    reasons: list[Reason] = []
    text = _catalogue_reason(a, b)
    if text:
        reasons.append(Reason(code="catalogue_changed", text=text))
    text = _na_reason(a, b)
    if text:
        reasons.append(Reason(code="not_applicable_changed", text=text))
    if a.rule.id != b.rule.id:
        reasons.append(Reason(code="band_changed", text=f"{a.rule.label} → {b.rule.label}"))
    text = _inputs_reason(a, b)
    if text:
        reasons.append(Reason(code="inputs_changed", text=text))
    reasons.extend(_evidence_reasons(a, b))
    if _appraised(a) != _appraised(b):
        reasons.append(Reason(code="appraisal_changed", text=f"{_appraisal_text(a)} → {_appraisal_text(b)}"))
    if not reasons and any(x.appraisal and x.appraisal.appraised_points is not None for x in (a, b)):
        # appraised at the self-assessed points, yet the status moved (a survey estimate became the official value)
        reasons.append(Reason(code="appraisal_changed", text=f"{_confirmed_text(a)} → {_confirmed_text(b)}"))
    if not reasons:
        if catalogue_changed:
            reasons.append(Reason(code="catalogue_changed", text="danh mục khác (phiên bản hoặc mã băm sha256)"))
        else:
            reasons.append(Reason(code="other", text=REASONS["other"]))
    return reasons


def _criterion(code: str, a: LeafOut | None, b: LeafOut | None, reasons: list[Reason]) -> CriterionDiff:
    some = b or a
    assert some is not None
    return CriterionDiff(
        code=code,
        name=some.name,
        area=some.area,
        a_points=a.points if a else None,
        b_points=b.points if b else None,
        change=_change(a.points if a else None, b.points if b else None),
        a_max=a.max if a else None,
        b_max=b.max if b else None,
        a_status=a.status if a else None,
        b_status=b.status if b else None,
        a_status_label=a.status_label if a else None,
        b_status_label=b.status_label if b else None,
        reasons=reasons,
    )


def diff_leaves(a: list[LeafOut], b: list[LeafOut], *, catalogue_changed: bool = False) -> list[CriterionDiff]:
    """Changed criteria, in A's order then B-only ones in B's order."""
    a_by = {leaf.code: leaf for leaf in a}
    b_by = {leaf.code: leaf for leaf in b}
    result = []
    for code in [*a_by, *(c for c in b_by if c not in a_by)]:
        x, y = a_by.get(code), b_by.get(code)
        if x is None:
            result.append(_criterion(code, None, y, [Reason(code="only_in_b", text=REASONS["only_in_b"])]))
        elif y is None:
            result.append(_criterion(code, x, None, [Reason(code="only_in_a", text=REASONS["only_in_a"])]))
        else:
            reasons = leaf_reasons(x, y, catalogue_changed=catalogue_changed)
            if reasons:
                result.append(_criterion(code, x, y, reasons))
    return result


# ---- areas and totals --------------------------------------------------------------------------------------------
def _areas(a: ScoreResult, b: ScoreResult) -> list[NodeDiff]:
    a_by = {x.code: x for x in a.areas}
    b_by = {x.code: x for x in b.areas}
    rows = []
    for code in [*a_by, *(c for c in b_by if c not in a_by)]:
        x, y = a_by.get(code), b_by.get(code)
        rows.append(
            NodeDiff(
                code=code,
                name=(y or x).name,
                a_points=x.points if x else None,
                b_points=y.points if y else None,
                change=_change(x.points if x else None, y.points if y else None),
                a_max=x.max if x else None,
                b_max=y.max if y else None,
                a_pct=x.pct if x else None,
                b_pct=y.pct if y else None,
            )
        )
    return rows


def _totals(a: ScoreResult, b: ScoreResult) -> list[NodeDiff]:
    ta, tb = a.totals, b.totals
    return [
        NodeDiff(
            code="self",
            name="Điểm tự đánh giá",
            a_points=ta.self_.points,
            b_points=tb.self_.points,
            change=_change(ta.self_.points, tb.self_.points),
            a_max=ta.self_.max,
            b_max=tb.self_.max,
            a_pct=ta.self_pct,
            b_pct=tb.self_pct,
        ),
        NodeDiff(
            code="survey",
            name="Điểm điều tra xã hội học",
            a_points=ta.survey.points,
            b_points=tb.survey.points,
            change=_change(ta.survey.points, tb.survey.points),
            a_max=ta.survey.max,
            b_max=tb.survey.max,
            a_pct=None,
            b_pct=None,
        ),
        NodeDiff(
            code="index",
            name="Chỉ số CCHC",
            a_points=ta.index_points,
            b_points=tb.index_points,
            change=_change(ta.index_points, tb.index_points),
            a_max=ta.index_max,
            b_max=tb.index_max,
            a_pct=ta.index_pct,
            b_pct=tb.index_pct,
        ),
    ]


def _side(result: ScoreResult, file: str) -> SideInfo:
    return SideInfo(
        file=file,
        unit=result.unit.code,
        unit_name=result.unit.name,
        year=result.year,
        catalogue_id=result.catalogue.id,
        catalogue_version=result.catalogue.version,
        catalogue_sha256=result.catalogue.sha256,
        appraised=result.appraisal is not None,
    )


def catalogues_differ(a: ScoreResult, b: ScoreResult) -> bool:
    ca, cb = a.catalogue, b.catalogue
    return (ca.id, ca.version, ca.sha256) != (cb.id, cb.version, cb.sha256)


def diff_results(a: ScoreResult, b: ScoreResult, *, a_file: str = "A", b_file: str = "B") -> ResultDiff:
    changed = catalogues_differ(a, b)
    return ResultDiff(
        a=_side(a, a_file),
        b=_side(b, b_file),
        catalogue_changed=changed,
        criteria=diff_leaves(a.criteria, b.criteria, catalogue_changed=changed),
        areas=_areas(a, b),
        totals=_totals(a, b),
    )
