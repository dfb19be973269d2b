"""The plan as plain rows of text: what a report section (the internal preview) lays out as a table, with no
logic left to the template."""

from __future__ import annotations

from dataclasses import dataclass, field

from par_score.numbers import ZERO, vn
from par_score.planning.model import LeafPlanOut, Plan, ScoreLineOut
from par_score.planning.wording import day, explanation_text, sentence

TODO = "việc cần làm"
EXPLAIN = "cần giải trình"
MISSED = "đã lỡ"


@dataclass(frozen=True)
class PlanRow:
    agency: str
    kind: str  # TODO | EXPLAIN | MISSED
    code: str
    name: str
    points: str  # "0,5/1"
    action: str  # what to do (alternatives on following lines, "hoặc: …"), or what it would have taken
    deadline: str  # "31/12/2024"
    gain: str  # "+0,5", or ""
    after: str  # "1/1", or ""
    co_agencies: str  # "Sở A; Sở B"
    in_target: str  # "có" when the option is in the smallest set reaching the target
    note: str  # why missed; what evidence a giải trình covers


@dataclass(frozen=True)
class PlanView:
    title: str
    summary: list[str]
    rows: list[PlanRow] = field(default_factory=list)
    survey: list[list[str]] = field(default_factory=list)  # [code, name, weight, last known values]

    def by_agency(self) -> list[tuple[str, list[PlanRow]]]:
        """The rows agency by agency, in the plan's order."""
        groups: dict[str, list[PlanRow]] = {}
        for row in self.rows:
            groups.setdefault(row.agency, []).append(row)
        return list(groups.items())


def score_line(line: ScoreLineOut) -> str:
    return f"{vn(line.points)}/{vn(line.max)} điểm ({vn(line.pct, 2)} %)"


def summary_lines(plan: Plan) -> list[str]:
    lines = [
        f"Tính đến ngày {day(plan.as_of)}. Điểm tự đánh giá hiện tại: {score_line(plan.current)}; tối đa còn đạt "
        f"được nếu làm mọi việc còn kịp: {score_line(plan.attainable)}."
    ]
    if plan.agency:
        lines.append(f"Chỉ các tiêu chí do {plan.agency} chủ trì hoặc phối hợp; điểm và mục tiêu tính cho cả đơn vị.")
    if plan.target is not None:
        lines.append(plan.target.statement)
        if plan.agency and plan.target.selected:
            mine = [o for o in plan.options() if o.in_target and o.agency == plan.agency]
            gain = sum((o.gain for o in mine), ZERO)
            lines.append(
                f"Phần việc của {plan.agency} trong phương án đạt mục tiêu: {len(mine)} tiêu chí, +{vn(gain)} điểm."
            )
    lines.extend(plan.notes)
    return lines


def _points(leaf: LeafPlanOut) -> str:
    return f"{vn(leaf.points)}/{vn(leaf.max)}"


def leaf_rows(plan: Plan, agency: str, leaf: LeafPlanOut) -> list[PlanRow]:
    rows = []
    common = dict(agency=agency, code=leaf.code, name=leaf.name, points=_points(leaf))
    co = "; ".join(leaf.co_agencies)
    for option in leaf.options:
        action = "\n".join(
            [option.text, *("hoặc: " + "; ".join(c.text for c in alternative) for alternative in option.alternatives)]
        )
        effects = "; ".join(f"cũng tăng {e.leaf}: +{vn(e.gain)}" for e in option.side_effects)
        rows.append(
            PlanRow(
                **common,
                kind=TODO,
                action=action,
                deadline=day(option.deadline),
                gain=f"+{vn(option.gain)}",
                after=f"{vn(option.points_after)}/{vn(leaf.max)}",
                co_agencies=co,
                in_target="có" if option.in_target else "",
                note=effects,
            )
        )
    if leaf.explanation_needed:
        rows.append(
            PlanRow(
                **common,
                kind=EXPLAIN,
                action=sentence(explanation_text(plan.evidence_until)),
                deadline=day(plan.evidence_until),
                gain="",
                after="",
                co_agencies=co,
                in_target="",
                note=f"Tài liệu cần có: {leaf.required_evidence}" if leaf.required_evidence else "",
            )
        )
    for missed in leaf.missed:
        rows.append(
            PlanRow(
                **common,
                kind=MISSED,
                action=f"Lẽ ra: {missed.text}",
                deadline=day(missed.deadline),
                gain=f"+{vn(missed.gain)}",
                after=f"{vn(missed.points_after)}/{vn(leaf.max)}",
                co_agencies=co,
                in_target="",
                note=missed.reason,
            )
        )
    if leaf.note and not rows:
        rows.append(
            PlanRow(
                **common,
                kind=MISSED,
                action="",
                deadline="",
                gain="",
                after="",
                co_agencies=co,
                in_target="",
                note=leaf.note,
            )
        )
    return rows


def plan_view(plan: Plan) -> PlanView:
    """The plan as rows of text, agency by agency (options first, best gain per change first), then giải trình and
    what was missed; survey items last, with their weight and last known values."""
    rows = [row for agency in plan.agencies for leaf in agency.leaves for row in leaf_rows(plan, agency.agency, leaf)]
    order = {TODO: 0, EXPLAIN: 1, MISSED: 2}
    position = {id(row): i for i, row in enumerate(rows)}
    agencies = {agency.agency: i for i, agency in enumerate(plan.agencies)}
    rows.sort(key=lambda row: (agencies[row.agency], order[row.kind], position[id(row)]))
    survey = [
        [item.code, item.name, vn(item.weight), "; ".join(item.last_known) or f"chưa có ({item.status_label})"]
        for item in plan.survey
    ]
    title = f"Kế hoạch khắc phục, nâng điểm Chỉ số CCHC năm {plan.year} — {plan.unit.name}"
    return PlanView(title=title, summary=summary_lines(plan), rows=rows, survey=survey)
