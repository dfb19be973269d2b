"""The change log's verification page: every chain of the workspace checked as `par-score web verify` checks it."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from par_score.web.workspace.integrity import verify_campaign
from par_score.web.workspace.roles import ADMIN, AUDITOR, campaign_view
from par_score.web.workspace.views.common import page


@campaign_view(ADMIN, AUDITOR)
@require_GET
def verify_page(request, access):
    report = verify_campaign(access.campaign)
    return page(request, "verify.html", access, report=report)
