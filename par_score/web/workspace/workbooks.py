"""The evidence workbook an agency downloads: the CLI's template (`par-score template --agency --unit --unit-name
--profile`) for the criteria it leads or co-leads that apply to the campaign's unit, its 'Thông tin' sheet filled in
and locked with the campaign's unit and year, so that no agency retypes them and a mistyped one never reaches the
merge."""

from __future__ import annotations

from par_score import api
from par_score.web.workspace.catalogues import campaign_catalogue
from par_score.web.workspace.models import AgencyPart


def agency_template(part: AgencyPart) -> bytes:
    campaign = part.campaign
    return api.evidence_template(
        campaign_catalogue(campaign),
        agency=part.agency,
        unit={"code": campaign.unit_code, "name": campaign.unit_name},
        profile=campaign.unit_profile or None,
    )
