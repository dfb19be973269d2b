"""A campaign as par_score sees it: a header part (unit, year, catalogue, report) and one part per agency, built from
the stored records and scored through the public API — the agency preview (its part, its criteria) and the
province (every part). Part names are the file names of an exported bundle, so problems read the same in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from par_score import api
from par_score.errors import ParScoreError, Problem
from par_score.evidence.model import SECTIONS
from par_score.evidence.parts import LoadedPart
from par_score.scoring.result import ScoreResult
from par_score.web.workspace import codec
from par_score.web.workspace.catalogues import campaign_catalogue
from par_score.web.workspace.files import store_root
from par_score.web.workspace.models import AgencyPart, Campaign, Record
from par_score.web.workspace.naming import HEADER_FILE, agency_file_names

FORMAT = "par-score/evidence@1"
FOREIGN_FILE = "van-ban-co-quan-khac.yaml"  # documents of other agencies that an agency's records cite


@dataclass
class Scored:
    """A scoring outcome: the result, or the located problems that stopped it."""

    result: ScoreResult | None
    problems: list[Problem] = field(default_factory=list)
    run: api.Run | None = None  # what the planner starts from


Entry = tuple[str, dict[str, Any]]  # (section, stored data) of one record


def header_data(campaign: Campaign, *, with_unit: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT}
    if with_unit:
        data["unit"] = {"code": campaign.unit_code, "name": campaign.unit_name, "level": campaign.unit_level}
        data["year"] = campaign.year
        data["catalogue"] = campaign.catalogue_id
    if campaign.report:
        data["report"] = codec.typed_report(campaign.report)
    return data


def ordered(records: Iterable[Record]) -> list[Record]:
    order = {section: n for n, section in enumerate(SECTIONS)}
    return sorted(records, key=lambda r: (order[r.section], r.id or 0))


def part_data(entries: Iterable[Entry]) -> dict[str, Any]:
    """One evidence file's data (typed) from (section, stored data) entries, in their order."""
    data: dict[str, Any] = {"format": FORMAT}
    for section, stored in entries:
        data.setdefault(section, []).append(codec.typed(section, stored))
    return data


def entries_of(records: Iterable[Record]) -> list[Entry]:
    return [(r.section, r.data) for r in ordered(records)]


def file_names(campaign: Campaign) -> dict[str, str]:
    return agency_file_names([p.agency for p in campaign.parts.order_by("position")])


def cited_foreign_documents(part: AgencyPart, entries: list[Entry]) -> list[Entry]:
    """Documents of other agencies that these records cite: in the agency preview they are read as in the province
    bundle (a citation across agencies comes from an imported bundle; the forms offer an agency its own)."""
    own = {data.get("id") for section, data in entries if section == "documents"}
    cited = {ref for _, data in entries for ref in data.get("documents", []) if ref not in own}
    if not cited:
        return []
    found = Record.objects.filter(campaign_id=part.campaign_id, section="documents", key__in=cited).exclude(part=part)
    return entries_of(found)


def agency_parts(part: AgencyPart, entries: list[Entry]) -> dict[str, Any]:
    campaign = part.campaign
    parts = {HEADER_FILE: header_data(campaign), file_names(campaign)[part.agency]: part_data(entries)}
    foreign = cited_foreign_documents(part, entries)
    if foreign:
        parts[FOREIGN_FILE] = part_data(foreign)
    return parts


def campaign_parts(campaign: Campaign) -> dict[str, Any]:
    """The header and every agency's part that holds records: the province's bundle."""
    names = file_names(campaign)
    by_part: dict[int, list[Record]] = {}
    for record in campaign.records.all():
        by_part.setdefault(record.part_id, []).append(record)
    parts: dict[str, Any] = {HEADER_FILE: header_data(campaign)}
    for part in campaign.parts.order_by("position"):
        if part.id in by_part:
            parts[names[part.agency]] = part_data(entries_of(by_part[part.id]))
    return parts


def score_parts(
    campaign: Campaign,
    parts: dict[str, Any],
    *,
    agency: str | None = None,
    loaded: Iterable[LoadedPart] = (),
    verify_files: bool = False,
) -> Scored:
    """Score parts held in memory. Attached files were hashed when stored; `verify_files` re-checks them (parts
    read from an uploaded file may name any path)."""
    try:
        bundle = api.bundle_from_data(parts, root=store_root(), loaded=loaded)
        run = api.score_bundle(bundle, campaign_catalogue(campaign), agency=agency, verify_files=verify_files)
    except ParScoreError as exc:
        return Scored(None, exc.problems)
    return Scored(run.result, run=run)


def preview(part: AgencyPart) -> Scored:
    """The agency preview: its part alone, its criteria over its own maximum, the others out of scope."""
    return score_parts(part.campaign, agency_parts(part, entries_of(part.records.all())), agency=part.agency)


def province(campaign: Campaign) -> Scored:
    return score_parts(campaign, campaign_parts(campaign))
