"""The appraisal (thẩm định) in the workspace: the administrator opens it and names the council; appraisers propose
points and a comment per criterion (round 1); the agencies answer the comments on their criteria with a giải trình
and new or corrected evidence while the council sets the final points (round 2); the administrator closes it.

The council's points are an appraisal file's records (evidence/appraisal.md) held in the database: applied to the
campaign's result by par_score's own appraisal code (api.appraise_data, the code of `par-score appraise`), so that
self, appraised and final points, and every total, are the CLI's. Every step is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from par_score import api
from par_score.audit.appraisal import AppraisalFile
from par_score.errors import ParScoreError, Problem
from par_score.numbers import plain
from par_score.outputs.evidence_yaml import appraisal_yaml
from par_score.scoring.result import LeafOut, ScoreResult
from par_score.web.workspace.appraisal_state import appraisal_of, commented_codes
from par_score.web.workspace.catalogues import answers, campaign_catalogue
from par_score.web.workspace.history import log_change, snapshot
from par_score.web.workspace.models import AgencyPart, Appraisal, AppraisalPoint, AppraisalReply, Campaign
from par_score.web.workspace.parts import Scored, log_head, outcomes, province, province_key

APPRAISAL_FILE = "tham-dinh.yaml"


class AppraisalRefused(Exception):
    """A step of the appraisal that cannot be taken now, or points the appraisal code refuses (`problems`)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.render() for p in problems))
        self.problems = problems


class Stale(Exception):
    """Someone changed the same points or giải trình since this edit started."""


# ---- the appraisal file the council's points make -----------------------------------------------------------------
def appraisal_data(campaign: Campaign, extra: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The council's points as the content of an appraisal file (None before any); `extra` is a record being saved
    (it replaces the stored one of the same criterion and round)."""
    appraisal = appraisal_of(campaign)
    if appraisal is None:
        return None
    index = campaign_catalogue(campaign)
    order = {entry.code: n for n, entry in enumerate(index.leaves)}
    records = {
        (p.criterion, p.round): {
            "criterion": p.criterion,
            "points": Decimal(p.points),
            "round": p.round,
            "appraiser": p.appraiser,
            "comment": p.comment,
        }
        for p in campaign.appraisal_points.all()
    }
    if extra is not None:
        records[(extra["criterion"], extra["round"])] = extra
    if not records:
        return None
    data: dict[str, Any] = {
        "unit": campaign.unit_code,
        "year": campaign.year,
        "catalogue": campaign.catalogue_id,
        "council": appraisal.council,
        "appraisals": [records[k] for k in sorted(records, key=lambda k: (order.get(k[0], len(order)), k[0], k[1]))],
    }
    if appraisal.date is not None:
        data["date"] = appraisal.date
    return data


def file_text(campaign: Campaign, data: dict[str, Any]) -> str:
    """The appraisal file `par-score appraise` and `par-score report --appraisal` read."""
    parsed = AppraisalFile.model_validate(data)
    return appraisal_yaml(parsed, [f"Tệp thẩm định của chiến dịch: {campaign.name}", "Xuất từ không gian làm việc."])


def apply(campaign: Campaign, scored: Scored, data: dict[str, Any] | None) -> Scored:
    """A province outcome with the council's points applied by par_score's appraisal code (as `par-score appraise`
    applies the file they make): every leaf with self, appraised and final points, totals from the final points."""
    if scored.run is None or data is None:
        return scored
    digest = hashlib.sha256(file_text(campaign, data).encode("utf-8")).hexdigest()
    try:
        run = api.appraise_data(scored.run, data, file=APPRAISAL_FILE, sha256=digest)
    except ParScoreError as exc:
        return Scored(None, exc.problems)
    return Scored(run.result, run=run)


def appraised(campaign: Campaign) -> Scored:
    """The province's result with the appraisal applied (the self-assessment alone before any appraisal)."""
    key = ("appraised", *province_key(campaign, log_head(campaign)))
    found = outcomes.get(key)
    if found is None:
        found = apply(campaign, province(campaign), appraisal_data(campaign))
        outcomes.put(key, found)
    return found


# ---- what the pages show ------------------------------------------------------------------------------------------
@dataclass
class Row:
    """One criterion under appraisal: the leaf of the appraised result (self, appraised, final points side by side,
    from the appraisal code), the council's round 1 and round 2 lines, the agencies' giải trình."""

    code: str
    name: str
    agency: str
    leaf: LeafOut | None
    round1: AppraisalPoint | None = None
    round2: AppraisalPoint | None = None
    replies: list[AppraisalReply] = field(default_factory=list)

    @property
    def self_points(self) -> Decimal | None:
        return self.leaf.appraisal.self_points if self.leaf and self.leaf.appraisal else None

    @property
    def final_points(self) -> Decimal | None:
        return self.leaf.appraisal.final_points if self.leaf and self.leaf.appraisal else None


@dataclass
class AppraisalView:
    appraisal: Appraisal
    rows: list[Row]
    result: ScoreResult | None
    problems: list[Problem]

    @property
    def state(self) -> str:
        return self.appraisal.state


def appraisal_view(
    campaign: Campaign, result: ScoreResult | None = None, *, agency: str | None = None, code: str | None = None
) -> AppraisalView | None:
    """The appraisal as a page shows it: every appraised criterion (of one agency, or one criterion), its leaf from
    the appraised result. None before the appraisal is opened."""
    appraisal = appraisal_of(campaign)
    if appraisal is None:
        return None
    index = campaign_catalogue(campaign)
    outcome = appraised(campaign)
    leaves = {leaf.code: leaf for leaf in outcome.result.criteria} if outcome.result else {}
    points: dict[str, dict[int, AppraisalPoint]] = {}
    for p in campaign.appraisal_points.all():
        points.setdefault(p.criterion, {})[p.round] = p
    replies: dict[str, list[AppraisalReply]] = {}
    for reply in campaign.appraisal_replies.select_related("part"):
        replies.setdefault(reply.criterion, []).append(reply)
    rows = []
    for entry in index.leaves:
        if code is not None and entry.code != code:
            continue
        if agency is not None and not answers(entry, agency):
            continue
        if entry.code not in points and code is None:
            continue
        given = points.get(entry.code, {})
        rows.append(
            Row(
                entry.code,
                entry.leaf.name,
                entry.agency,
                leaves.get(entry.code),
                given.get(1),
                given.get(2),
                replies.get(entry.code, []),
            )
        )
    return AppraisalView(appraisal, rows, outcome.result, outcome.problems)


def answering_round(campaign: Campaign) -> bool:
    appraisal = appraisal_of(campaign)
    return appraisal is not None and appraisal.state == Appraisal.ROUND_2


# ---- steps --------------------------------------------------------------------------------------------------------
def open_appraisal(user, campaign: Campaign, council: str, date: dt.date | None) -> Appraisal:
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if Appraisal.objects.filter(campaign=locked).exists():
            raise AppraisalRefused([Problem("chiến dịch đã mở thẩm định")])
        appraisal = Appraisal.objects.create(campaign=locked, council=council, date=date)
        log_change(locked, user, "appraisal", target=appraisal, after=snapshot(appraisal), note="mở thẩm định vòng 1")
        return appraisal


STEPS = {
    Appraisal.ROUND_1: (Appraisal.ROUND_2, "chuyển sang vòng 2: cơ quan giải trình, hội đồng chốt điểm"),
    Appraisal.ROUND_2: (Appraisal.CLOSED, "kết thúc thẩm định"),
}


def advance(user, campaign: Campaign, expected: str, reply_until: dt.datetime | None = None) -> Appraisal:
    """Round 1 → round 2 (agencies may answer until `reply_until`), round 2 → closed. `expected` is the state the
    administrator saw: a step already taken by someone else is not taken twice."""
    with transaction.atomic():
        appraisal = Appraisal.objects.select_for_update().filter(campaign=campaign).first()
        if appraisal is None or appraisal.state != expected or expected not in STEPS:
            raise AppraisalRefused([Problem("giai đoạn thẩm định đã thay đổi; hãy tải lại trang")])
        if expected == Appraisal.ROUND_1 and not campaign.appraisal_points.filter(round=1).exists():
            raise AppraisalRefused([Problem("hội đồng chưa đề xuất điểm vòng 1 cho tiêu chí nào")])
        before = snapshot(appraisal)
        appraisal.state, note = STEPS[expected]
        if expected == Appraisal.ROUND_1:
            appraisal.reply_until = reply_until
        if appraisal.state == Appraisal.CLOSED:
            problems = appraised_now(campaign).problems
            if problems:
                raise AppraisalRefused(problems)
        appraisal.version += 1
        appraisal.updated_at = timezone.now()
        appraisal.save()
        log_change(campaign, user, "appraisal", target=appraisal, before=before, after=snapshot(appraisal), note=note)
        return appraisal


def appraised_now(campaign: Campaign) -> Scored:
    return apply(campaign, province(campaign), appraisal_data(campaign))


def appraiser_name(user) -> str:
    return (user.get_full_name() or user.username)[:300]


def save_points(
    user,
    campaign: Campaign,
    code: str,
    round_: int,
    points: Decimal,
    comment: str,
    *,
    version: int | None,
) -> AppraisalPoint:
    """The council's points for a criterion in a round (round 1 while the appraisal is in round 1, round 2 in
    round 2), checked by par_score's appraisal code against the campaign's result before they are stored."""
    with transaction.atomic():
        appraisal = Appraisal.objects.select_for_update().filter(campaign=campaign).first()
        wanted = {1: Appraisal.ROUND_1, 2: Appraisal.ROUND_2}[round_]
        if appraisal is None or appraisal.state != wanted:
            shown = appraisal.state_label if appraisal else "chưa mở thẩm định"
            raise AppraisalRefused([Problem(f"không nhập được điểm vòng {round_}: thẩm định đang ở giai đoạn {shown}")])
        if round_ == 2 and code not in commented_codes(campaign):
            raise AppraisalRefused(
                [Problem(f"tiêu chí {code} không có ý kiến vòng 1; vòng 2 chỉ chốt điểm các tiêu chí đã có ý kiến")]
            )
        current = AppraisalPoint.objects.select_for_update().filter(campaign=campaign, criterion=code, round=round_)
        current = current.first()
        if (current.version if current else None) != version:
            raise Stale()
        record = {
            "criterion": code,
            "points": points,
            "round": round_,
            "appraiser": appraiser_name(user),
            "comment": comment,
        }
        _check_points(campaign, record)
        before = snapshot(current) if current else None
        if current is None:
            current = AppraisalPoint(campaign=campaign, criterion=code, round=round_)
        else:
            current.version += 1
        current.points, current.comment, current.appraiser = plain(points), comment, record["appraiser"]
        current.updated_at, current.updated_by = timezone.now(), user
        current.save()
        log_change(
            campaign,
            user,
            "points",
            key=code,
            target=current,
            before=before,
            after=snapshot(current),
            note=f"vòng {round_}",
        )
        return current


def _check_points(campaign: Campaign, record: dict[str, Any]) -> None:
    """The appraisal with this record must apply to the campaign's result: read and checked by the code of
    `par-score appraise` (points within the criterion's maximum, a criterion that is scored, …)."""
    scored = province(campaign)
    if scored.run is None:
        first = Problem("kết quả tự đánh giá của chiến dịch chưa chấm được; xem trang Tổng hợp")
        raise AppraisalRefused([first, *scored.problems])
    try:
        api.appraise_data(scored.run, appraisal_data(campaign, record), file=APPRAISAL_FILE, sha256="")
    except ParScoreError as exc:
        own = [p for p in exc.problems if f"criterion: {record['criterion']})" in (p.record or "")]
        raise AppraisalRefused(own or exc.problems) from None


def save_reply(user, part: AgencyPart, code: str, text: str, *, version: int | None) -> AppraisalReply:
    """An agency's giải trình to the council's comment on one of its criteria (round 2 only)."""
    campaign = part.campaign
    with transaction.atomic():
        appraisal = Appraisal.objects.select_for_update().filter(campaign=campaign).first()
        if appraisal is None or appraisal.state != Appraisal.ROUND_2:
            raise AppraisalRefused([Problem("chỉ giải trình được trong vòng 2 của thẩm định")])
        if appraisal.reply_until is not None and timezone.now() > appraisal.reply_until:
            raise AppraisalRefused([Problem("đã hết hạn giải trình vòng 2")])
        entry = campaign_catalogue(campaign).by_code.get(code)
        if entry is None or not answers(entry, part.agency) or code not in commented_codes(campaign):
            raise AppraisalRefused([Problem(f"tiêu chí {code} không có ý kiến thẩm định cho {part.agency}")])
        current = AppraisalReply.objects.select_for_update().filter(campaign=campaign, criterion=code, part=part)
        current = current.first()
        if (current.version if current else None) != version:
            raise Stale()
        before = snapshot(current) if current else None
        if current is None:
            current = AppraisalReply(campaign=campaign, criterion=code, part=part)
        else:
            current.version += 1
        current.text, current.updated_at, current.updated_by = text, timezone.now(), user
        current.save()
        log_change(
            campaign,
            user,
            "reply",
            agency=part.agency,
            key=code,
            target=current,
            before=before,
            after=snapshot(current),
        )
        return current
