"""A run → its improvement plan: proposals from every scale kind, checked by re-scoring; feasibility as of a date;
options per leaf grouped by responsible agency; the best attainable score and, for a target, the smallest set of
changes that reaches it (both checked by re-scoring their changes together)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.errors import InputError, Problem
from par_score.evidence import Bundle
from par_score.io.text import nfc
from par_score.numbers import ZERO, plain, vn
from par_score.planning.apply import document_kind
from par_score.planning.model import (
    AgencyPlanOut,
    ChangeOut,
    LeafPlanOut,
    MissedOut,
    OptionOut,
    Plan,
    ScoreLineOut,
    SideEffectOut,
    SurveyItemOut,
    TargetOut,
)
from par_score.planning.propose import Checked, LeafProposals, horizon_of, propose, verify_together
from par_score.planning.responsibility import co_agencies
from par_score.planning.select import Choice, best_of_each, smallest_set
from par_score.planning.target import Target, check_within, parse_target
from par_score.planning.wording import LeafWords, change_text, changes_text, day, figure_terms
from par_score.scales import Change, Horizon, IssueDocument, SendReport, SetFigure
from par_score.scoring.pipeline import Run
from par_score.scoring.result import CatalogueRef, LeafOut, ScoreResult, UnitRef
from par_score.scoring.rollup import pct
from par_score.scoring.scorer import Scorer
from par_score.vocabulary import Source, Status


def make_plan(
    run: Run,
    *,
    as_of: dt.date,
    target: Target | str | Decimal | None = None,
    agency: str | None = None,
) -> Plan:
    """The improvement plan of a run's evidence as of `as_of` (see par_score.api.plan). The whole bundle is
    re-scored as the baseline, whatever agency preview the run was; `agency` only narrows what is shown."""
    index, bundle = run.catalogue, run.bundle
    wanted = parse_target(target) if target is not None else None
    shown_agency = _agency_named(index, agency) if agency is not None else None
    scorer = Scorer(index)
    baseline = scorer.score(bundle)  # the whole catalogue, whatever preview the run was
    horizon = horizon_of(index, as_of)
    leaves = propose(index, bundle, baseline, horizon, scorer)
    options_of: dict[str, list[_Option]] = {lp.entry.code: _options(lp, horizon) for lp in leaves}

    groups: dict[tuple[str, str], list[_Option]] = {}
    for lp in leaves:
        groups.setdefault(lp.entry.input_key, []).extend(o for o in options_of[lp.entry.code] if o.feasible)
    grouped = list(groups.values())
    choices = [[Choice(o.size, o.gain) for o in options] for options in grouped]

    current = _line(baseline)
    best_picks = [grouped[g][o] for g, o in best_of_each(choices)]
    attainable = _together(index, bundle, baseline, scorer, best_picks)
    target_out = None
    selected: set[str] = set()
    if wanted is not None:
        target_out, selected = _target(index, bundle, baseline, scorer, wanted, grouped, choices, attainable)

    leaf_plans = {
        lp.entry.code: _leaf_plan(lp, baseline.leaf(lp.entry.code), options_of[lp.entry.code], selected, bundle)
        for lp in leaves
    }
    return Plan(
        catalogue=CatalogueRef(
            id=index.catalogue.id,
            version=index.catalogue.version,
            sha256=index.sha256,
            title=index.catalogue.title,
            kind=index.catalogue.kind,
        ),
        unit=UnitRef(code=bundle.unit.code, name=bundle.unit.name, level=bundle.unit.level),
        year=index.year,
        as_of=as_of,
        evidence_until=horizon.last_day,
        agency=shown_agency,
        current=current,
        attainable=attainable,
        target=target_out,
        agencies=_agencies(index, leaf_plans, shown_agency),
        survey=_survey(index, baseline, shown_agency),
        notes=_notes(horizon),
    )


# ---- options: proposals grouped by the points they reach, feasible or missed ----------------------------------------
class _Option:
    def __init__(self, checked: list[Checked], feasible: bool, reason: str | None):
        self.main = checked[0]
        self.alternatives = checked[1:]
        self.feasible = feasible
        self.reason = reason

    @property
    def entry(self) -> LeafEntry:
        return self.main.entry

    @property
    def id(self) -> str:
        return f"{self.main.entry.code}:{plain(self.main.proposal.points)}"

    @property
    def size(self) -> int:
        return len(self.main.proposal.changes)

    @property
    def gain(self) -> Decimal:
        return self.main.gain

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.main.proposal.changes


def _feasible(checked: Checked, horizon: Horizon) -> tuple[bool, str | None]:
    proposal = checked.proposal
    if proposal.blocked:
        return False, proposal.blocked
    if proposal.deadline < horizon.as_of:
        return False, f"đã quá hạn ngày {day(proposal.deadline)}"
    return True, None


def _options(lp: LeafProposals, horizon: Horizon) -> list[_Option]:
    by_points: dict[Decimal, list[Checked]] = {}
    for checked in lp.proposals:
        by_points.setdefault(checked.proposal.points, []).append(checked)
    options: list[_Option] = []
    for points in sorted(by_points, reverse=True):
        ready = [c for c in by_points[points] if _feasible(c, horizon)[0]]
        if ready:
            options.append(_Option(ready, True, None))
        elif not any(o.feasible for o in options):  # a band missed below one still reachable says nothing
            first = by_points[points][0]
            options.append(_Option([first], False, _feasible(first, horizon)[1]))
    return options


def _words(entry: LeafEntry, lp: LeafProposals, bundle: Bundle) -> LeafWords:
    found = lp.standing.found
    documents = found.documents if found is not None else ()
    return LeafWords(
        document_kind=document_kind(entry, bundle),
        earliest_document=documents[0].issue_date if documents else None,
        terms=figure_terms(entry.leaf.required_evidence),
    )


def _change_out(change: Change, words: LeafWords) -> ChangeOut:
    text = change_text(change, words)
    if isinstance(change, IssueDocument):
        return ChangeOut(kind="issue_document", by=change.by, text=text, document_kind=words.document_kind)
    if isinstance(change, SendReport):
        return ChangeOut(
            kind="send_report",
            by=change.by,
            text=text,
            document_kind="bao_cao",
            period=change.period,
            period_name=change.period_name,
            due=change.due,
            on_time=change.on_time,
        )
    assert isinstance(change, SetFigure)
    return ChangeOut(
        kind="set_figure",
        by=change.by,
        text=text,
        how=change.how,
        before=change.before.fields() if change.before is not None else None,
        after=change.after.fields(),
        goal=change.goal.describe(),
        goal_condition=(change.goal.variable, change.goal.op, plain(Decimal(change.goal.threshold))),
        part=change.part,
    )


def _leaf_plan(
    lp: LeafProposals, leaf: LeafOut | None, options: list[_Option], selected: set[str], bundle: Bundle
) -> LeafPlanOut:
    assert leaf is not None
    entry = lp.entry
    words = _words(entry, lp, bundle)
    option_outs, missed = [], []
    for option in options:
        proposal = option.main.proposal
        if option.feasible:
            option_outs.append(
                OptionOut(
                    id=option.id,
                    leaf=entry.code,
                    agency=entry.agency,
                    band=proposal.band,
                    band_label=proposal.band_label,
                    points_before=lp.standing.points,
                    points_after=proposal.points,
                    gain=option.gain,
                    size=option.size,
                    deadline=proposal.deadline,
                    text=changes_text(proposal.changes, words),
                    changes=[_change_out(c, words) for c in proposal.changes],
                    alternatives=[[_change_out(c, words) for c in alt.proposal.changes] for alt in option.alternatives],
                    side_effects=[SideEffectOut(leaf=code, gain=gain) for code, gain in option.main.side_effects],
                    in_target=option.id in selected,
                )
            )
        else:
            missed.append(
                MissedOut(
                    leaf=entry.code,
                    band_label=proposal.band_label,
                    points_after=proposal.points,
                    gain=option.gain,
                    deadline=proposal.deadline,
                    text=changes_text(proposal.changes, words),
                    changes=[_change_out(c, words) for c in proposal.changes],
                    reason=option.reason or "",
                )
            )
    note = None
    if not lp.plannable:
        note = f"thang điểm '{entry.leaf.scale.type}' chưa hỗ trợ lập kế hoạch"
    elif not option_outs and not missed:
        note = "không có thay đổi tài liệu kiểm chứng nào đạt được mức điểm cao hơn"
    return _leaf_out(entry, leaf, options=option_outs, missed=missed, note=note)


def _leaf_out(entry: LeafEntry, leaf: LeafOut, **fields) -> LeafPlanOut:
    return LeafPlanOut(
        code=entry.code,
        name=entry.leaf.name,
        area=entry.area.code,
        tc=entry.criterion.code,
        agency=entry.agency,
        co_agencies=list(co_agencies(entry)),
        scale=entry.leaf.scale.type,
        max=entry.leaf.max,
        points=leaf.points if leaf.points is not None else ZERO,
        status=leaf.status,
        status_label=leaf.status_label,
        explanation_needed=_explanation_needed(leaf),
        required_evidence=entry.leaf.required_evidence,
        **fields,
    )


def _explanation_needed(leaf: LeafOut) -> bool:
    return leaf.status == Status.MISSING_EVIDENCE and not leaf.explanation


# ---- totals, attainable, target -------------------------------------------------------------------------------------
def _line(result: ScoreResult) -> ScoreLineOut:
    total = result.totals.self_
    points = total.points or ZERO
    return ScoreLineOut(points=points, max=total.max, pct=pct(points, total.max))


def _together(
    index: CatalogueIndex, bundle: Bundle, baseline: ScoreResult, scorer: Scorer, picks: Sequence[_Option]
) -> ScoreLineOut:
    if not picks:
        return _line(baseline)
    expected = sum((o.gain for o in picks), ZERO)
    chosen = [(o.entry, o.changes) for o in picks]
    return _line(verify_together(index, bundle, baseline, scorer, chosen, expected))


def _target(
    index: CatalogueIndex,
    bundle: Bundle,
    baseline: ScoreResult,
    scorer: Scorer,
    wanted: Target,
    grouped: list[list[_Option]],
    choices: list[list[Choice]],
    attainable: ScoreLineOut,
) -> tuple[TargetOut, set[str]]:
    maximum = baseline.totals.self_.max
    check_within(wanted, maximum)
    current = _line(baseline)
    goal = wanted.points(maximum)
    needed = max(ZERO, goal - current.points)
    picks = smallest_set(choices, needed)
    described = wanted.describe(maximum)
    asked = {"asked": wanted.asked, "kind": wanted.kind, "value": wanted.value, "points": goal, "needed": needed}
    if picks is None:
        statement = (
            f"Không thể đạt mục tiêu {described}: tính đến nay, làm tất cả các việc còn kịp cũng chỉ đạt "
            f"{vn(attainable.points)}/{vn(attainable.max)} điểm ({vn(attainable.pct, 2)} %)."
        )
        return (
            TargetOut(
                **asked,
                reached_now=False,
                reachable=False,
                gain=attainable.points - current.points,
                after=attainable,
                statement=statement,
            ),
            set(),
        )
    chosen = [grouped[g][o] for g, o in picks]
    after = _together(index, bundle, baseline, scorer, chosen)
    size = sum(o.size for o in chosen)
    if not chosen:
        statement = f"Đã đạt mục tiêu {described}: hiện có {vn(current.points)}/{vn(current.max)} điểm."
    else:
        statement = (
            f"Mục tiêu {described}: cần ít nhất {size} thay đổi ({len(chosen)} tiêu chí), tăng "
            f"{vn(after.points - current.points)} điểm, đạt {vn(after.points)}/{vn(after.max)} điểm "
            f"({vn(after.pct, 2)} %)."
        )
    return (
        TargetOut(
            **asked,
            reached_now=not chosen,
            reachable=True,
            selected=[o.id for o in chosen],
            changes=size,
            gain=after.points - current.points,
            after=after,
            statement=statement,
        ),
        {o.id for o in chosen},
    )


# ---- agencies, survey, notes ----------------------------------------------------------------------------------------
def _agency_named(index: CatalogueIndex, agency: str) -> str:
    wanted = nfc(agency).strip().casefold()
    names: dict[str, None] = {}
    for entry in index.leaves:
        names.setdefault(entry.agency, None)
        for other in co_agencies(entry):
            names.setdefault(other, None)
    for name in names:
        if name.casefold() == wanted:
            return name
    raise InputError(
        Problem(
            f"cơ quan '{agency}' không chủ trì hay phối hợp tiêu chí nào trong danh mục. Các cơ quan: "
            + "; ".join(names),
            field="--agency",
        )
    )


def _concerns(agency: str | None, lead: str, co: Sequence[str]) -> bool:
    """Whether a leaf led by `lead` with co-responsible `co` is shown to `agency` (None: every agency)."""
    return agency is None or lead == agency or agency in co


def _sort_key(plan: LeafPlanOut, position: int):
    if not plan.options:
        return (1, ZERO, ZERO, dt.date.max, position)
    best = max(plan.options, key=lambda o: (o.gain / o.size, o.gain))
    return (0, -(best.gain / best.size), -best.gain, best.deadline, position)


def _agencies(index: CatalogueIndex, plans: dict[str, LeafPlanOut], agency: str | None) -> list[AgencyPlanOut]:
    position = {entry.code: i for i, entry in enumerate(index.leaves)}
    by_agency: dict[str, list[LeafPlanOut]] = {name: [] for name in index.agencies()}
    for plan in plans.values():
        shown = plan.options or plan.missed or plan.explanation_needed or plan.note
        if shown and _concerns(agency, plan.agency, plan.co_agencies):
            by_agency.setdefault(plan.agency, []).append(plan)
    out = []
    for name, leaves in by_agency.items():
        if not leaves:
            continue
        leaves.sort(key=lambda p: _sort_key(p, position[p.code]))
        best = sum((max(o.gain for o in p.options) for p in leaves if p.options), ZERO)
        out.append(
            AgencyPlanOut(
                agency=name,
                leaves=leaves,
                options=sum(len(p.options) for p in leaves),
                best_gain=best,
                explanations=sum(1 for p in leaves if p.explanation_needed),
            )
        )
    return out


def _survey(index: CatalogueIndex, baseline: ScoreResult, agency: str | None) -> list[SurveyItemOut]:
    items = []
    for entry, leaf in zip(index.leaves, baseline.criteria, strict=True):
        if leaf.source != Source.SURVEY:
            continue
        if not _concerns(agency, entry.agency, co_agencies(entry)):
            continue
        known = [f"{i.label}: {i.display}" + (f" (nguồn: {i.source})" if i.source else "") for i in leaf.inputs]
        items.append(
            SurveyItemOut(
                code=leaf.code,
                name=leaf.name,
                agency=entry.agency,
                weight=leaf.max,
                status_label=leaf.status_label,
                last_known=known,
            )
        )
    return items


def _notes(horizon: Horizon) -> list[str]:
    notes = []
    if horizon.as_of > horizon.last_day:
        notes.append(
            f"Thời hạn tính tài liệu kiểm chứng của năm {horizon.year} đã kết thúc ngày {day(horizon.last_day)}: "
            "không còn thay đổi nào kịp tính điểm; các mục đã lỡ được liệt kê để rút kinh nghiệm cho năm sau."
        )
    elif horizon.as_of > horizon.year_end:
        notes.append(
            f"Năm {horizon.year} đã kết thúc: số liệu của năm không còn thay đổi; chỉ còn bổ sung tài liệu, số liệu "
            f"còn thiếu đến ngày {day(horizon.last_day)}."
        )
    return notes
