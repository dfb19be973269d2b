"""Beside other campaigns: a campaign beside last year's (the CLI's diff per criterion), and for a province's own
indexes (sở, xã: a catalogue with ratings or ranking clusters) the ranking of every campaign of the same catalogue and
year, with ratings and clusters, as `par-score score FOLDER` ranks a batch (par_score.outputs.ranking)."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from par_score.audit.diff import diff_results
from par_score.outputs.ranking import RankRow, publication, ranks_by_clusters
from par_score.web.workspace.appraisals import appraised
from par_score.web.workspace.catalogues import campaign_catalogue
from par_score.web.workspace.models import Campaign
from par_score.web.workspace.roles import ADMIN, AUDITOR, campaign_view, campaigns_for
from par_score.web.workspace.views.common import page


def _standing(campaign: Campaign):
    """A campaign's result as it stands: after thẩm định the final one, else the self-assessment."""
    return appraised(campaign)


@campaign_view(ADMIN, AUDITOR)
@require_GET
def year_compare(request, access):
    """This campaign (B) beside another campaign of the same unit (A, by default last year's)."""
    campaign = access.campaign
    candidates = [
        c
        for c in campaigns_for(request.user).filter(unit_code=campaign.unit_code).exclude(pk=campaign.pk)
        if c.year <= campaign.year
    ]
    candidates.sort(key=lambda c: (-c.year, c.name))
    other = None
    asked = request.GET.get("voi", "")
    if asked:
        try:
            other = next(c for c in candidates if c.pk == int(asked))
        except (ValueError, StopIteration):
            raise Http404("Không có chiến dịch này để so sánh.") from None
    elif candidates:
        other = candidates[0]
    diff = problems = None
    if other is not None:
        a, b = _standing(other), _standing(campaign)
        if a.result is not None and b.result is not None:
            diff = diff_results(a.result, b.result, a_file=other.name, b_file=campaign.name)
        else:
            problems = [*a.problems, *b.problems]
    return page(
        request, "year_compare.html", access, candidates=candidates, other=other, diff=diff, problems=problems or []
    )


@campaign_view(ADMIN)
@require_GET
def ranking(request, access):
    """Every campaign of this catalogue and year ranked as the batch ranks units: by cluster, ties sharing a rank,
    each rated by the catalogue's bands; a campaign that cannot be scored yet is listed apart."""
    campaign = access.campaign
    index = campaign_catalogue(campaign)
    if not ranks_by_clusters(index):
        raise Http404("Danh mục của chiến dịch không xếp hạng theo khối.")
    rows, unscored = [], []
    peers = Campaign.objects.filter(catalogue_id=campaign.catalogue_id, year=campaign.year).order_by("unit_code")
    for peer in peers:
        if campaign_catalogue(peer).sha256 != index.sha256:
            continue  # an uploaded catalogue of the same id but another content: not the same index
        outcome = _standing(peer)
        if outcome.result is None:
            unscored.append((peer, outcome.problems))
        else:
            rows.append(RankRow.of(outcome.result, peer.name))
    published = publication(rows, index)
    by_code = {c.unit_code: c for c in peers}
    return page(request, "ranking.html", access, pub=published, by_code=by_code, unscored=unscored)
