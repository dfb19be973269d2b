"""When evidence may change, once the appraisal (thẩm định) has begun: not in round 1 (the council reads what was
submitted), in round 2 only for the criteria the council commented on (the agency's giải trình with new or corrected
evidence), never after the appraisal is closed. Before any appraisal, an agency's own lock applies (submitted,
deadline)."""

from __future__ import annotations

from django.utils import timezone

from par_score.web.workspace.catalogues import campaign_catalogue, leaf_codes
from par_score.web.workspace.models import AgencyPart, Appraisal, AppraisalPoint, Campaign

ROUND_1_LOCK = "hội đồng đang thẩm định (vòng 1); cơ quan giải trình và bổ sung tài liệu ở vòng 2"
CLOSED_LOCK = "thẩm định đã kết thúc; kết quả đã chốt"


def appraisal_of(campaign: Campaign) -> Appraisal | None:
    return Appraisal.objects.filter(campaign=campaign).first()


def commented_codes(campaign: Campaign) -> set[str]:
    """The criteria the council gave round-1 points and comments to: what round 2 reopens."""
    return set(AppraisalPoint.objects.filter(campaign=campaign, round=1).values_list("criterion", flat=True))


def evidence_lock(
    campaign: Campaign, part: AgencyPart | None, section: str, data: dict | None, *, deadline: bool = True
) -> str | None:
    """Why a record (`section`, `data`; None: the holder's records as a whole) cannot be changed now, or None.
    `deadline=False`: an administrator's import, past the agencies' deadline."""
    appraisal = appraisal_of(campaign)
    if appraisal is None:
        if part is None:
            return None
        return part.lock_reason() if deadline else part.lock_reason(now=part.deadline)
    if appraisal.state == Appraisal.CLOSED:
        return CLOSED_LOCK
    if appraisal.state == Appraisal.ROUND_1:
        return ROUND_1_LOCK
    if part is None:
        return None  # the administrator's figures (statistics) may still be corrected in round 2
    if appraisal.reply_until is not None and timezone.now() > appraisal.reply_until:
        local = timezone.localtime(appraisal.reply_until)
        return f"đã hết hạn giải trình vòng 2 ({local:%H:%M ngày %d/%m/%Y})"
    if data is None:
        return "ở vòng 2 chỉ sửa từng bản ghi của các tiêu chí hội đồng có ý kiến, không nhập lại cả bảng tính"
    codes = leaf_codes(campaign_catalogue(campaign), section, data)
    if section == "documents" and not data.get("topics"):
        return None  # a supporting document for a giải trình
    if not set(codes) & commented_codes(campaign):
        return "ở vòng 2 chỉ bổ sung, sửa tài liệu của các tiêu chí hội đồng thẩm định có ý kiến"
    return None
