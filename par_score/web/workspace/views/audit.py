"""The auditor's view (also the administrator's): every criterion with its rule, inputs, evidence and attached files,
failed conditions, and the history of each record; the campaign's change log; attached files."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from par_score.web.workspace.appraisals import appraised
from par_score.web.workspace.catalogues import applies, campaign_catalogue
from par_score.web.workspace.files import stored_path
from par_score.web.workspace.models import Change
from par_score.web.workspace.presentation import grouped
from par_score.web.workspace.roles import ADMIN, AGENCY, APPRAISER, AUDITOR, campaign_view
from par_score.web.workspace.views.common import page


@campaign_view(ADMIN, AUDITOR, APPRAISER)
@require_GET
def audit(request, access):
    campaign = access.campaign
    index = campaign_catalogue(campaign)
    province = appraised(campaign)
    records = list(campaign.records.select_related("part"))
    areas = grouped(index, province.result, records, None, campaign.unit_profile)
    return page(request, "audit.html", access, province=province, areas=areas)


@campaign_view(ADMIN, AUDITOR, APPRAISER)
@require_GET
def audit_criterion(request, access, code: str):
    campaign = access.campaign
    index = campaign_catalogue(campaign)
    if code not in index.by_code or not applies(index, index.by_code[code], campaign.unit_profile):
        raise Http404("Không có tiêu chí này.")
    province = appraised(campaign)
    records = list(campaign.records.select_related("part"))
    view = next(
        lv
        for a in grouped(index, province.result, records, None, campaign.unit_profile)
        for c in a.criteria
        for lv in c.leaves
        if lv.code == code
    )
    histories = {r.pk: Change.objects.filter(record=r).order_by("id") for r in view.records}
    deleted = Change.objects.filter(campaign=campaign, action="delete", record__isnull=True)
    deleted = [c for c in deleted if code in _codes_of(index, c)]
    return page(
        request,
        "audit_criterion.html",
        access,
        view=view,
        leaf=view.out,
        province=province,
        histories=histories,
        deleted=deleted,
    )


def _codes_of(index, change: Change) -> list[str]:
    from par_score.web.workspace.catalogues import leaf_codes

    return leaf_codes(index, change.section, change.before or {}) if change.section else []


@campaign_view(ADMIN, AUDITOR)
@require_GET
def change_log(request, access):
    changes = access.campaign.changes.order_by("-seq")
    agency = request.GET.get("co_quan", "")
    if agency:
        changes = changes.filter(agency=agency)
    pages = Paginator(changes, 50)
    current = pages.get_page(request.GET.get("trang"))
    agencies = [p.agency for p in access.campaign.parts.all()]
    return page(request, "changes.html", access, changes=current, agencies=agencies, agency=agency)


@campaign_view(ADMIN, AGENCY, AUDITOR, APPRAISER)
@require_GET
def attached_file(request, access, sha256: str):
    stored = access.stored_file(sha256)
    path = stored_path(stored)
    if not path.is_file():
        raise Http404("Tệp không còn trong kho lưu trữ.")
    response = FileResponse(
        path.open("rb"), content_type=stored.content_type, as_attachment=True, filename=stored.original_name
    )
    return response
