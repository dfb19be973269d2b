"""A campaign as par_score sees it: a header part (unit, year, catalogue, report), one part per agency, and the part
the administrator enters for the whole campaign (statistics, bonus and deduction inputs), built from the stored
records and scored through the public API — the agency preview (its part, the criteria it leads or co-leads) and the
province (every part). Part names are the file names of an exported bundle, so problems read the same in both.

Scoring a campaign takes a tenth of a second; a page asks for the same outcome again and again while nothing
changes. Outcomes are kept per process, keyed by the campaign's change-log head (every change is logged in the
transaction that makes it, so a new head means something changed) and by what the key alone does not cover.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
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
from par_score.web.workspace.models import AgencyPart, Campaign, ChainHead, Record
from par_score.web.workspace.naming import COMMON_FILE, HEADER_FILE, agency_file_names

FORMAT = "par-score/evidence@1"
FOREIGN_FILE = "van-ban-co-quan-khac.yaml"  # documents of other agencies that an agency's records cite


@dataclass
class Scored:
    """A scoring outcome: the result, or the located problems that stopped it."""

    result: ScoreResult | None
    problems: list[Problem] = field(default_factory=list)
    run: api.Run | None = None  # what the planner and the appraisal start from


Entry = tuple[str, dict[str, Any]]  # (section, stored data) of one record


def unit_data(campaign: Campaign) -> dict[str, Any]:
    unit: dict[str, Any] = {"code": campaign.unit_code, "name": campaign.unit_name, "level": campaign.unit_level}
    if campaign.unit_profile:
        unit["profile"] = campaign.unit_profile
    if campaign.unit_cluster:
        unit["cluster"] = campaign.unit_cluster
    return unit


def header_data(campaign: Campaign, *, with_unit: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT}
    if with_unit:
        data["unit"] = unit_data(campaign)
        data["year"] = campaign.year
        data["catalogue"] = campaign.catalogue_id
    if campaign.report:
        data["report"] = codec.typed_report(campaign.report)
    return data


def unit_problems(index, unit: dict[str, Any], year: int) -> list[Problem]:
    """What par_score says of a unit (its profile and cluster above all) for a catalogue: the header's problems of a
    bundle with no evidence."""
    header = {"format": FORMAT, "unit": unit, "year": year, "catalogue": index.id}
    try:
        api.score_bundle(api.bundle_from_data({HEADER_FILE: header}), index)
    except ParScoreError as exc:
        return [p for p in exc.problems if (p.field or "").startswith("unit")] or exc.problems
    return []


def ordered(records: Iterable[Record]) -> list[Record]:
    order = {section: n for n, section in enumerate(SECTIONS)}
    return sorted(records, key=lambda r: (order[r.section], r.id if r.id is not None else float("inf")))


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


def common_records(campaign: Campaign):
    return Record.objects.filter(campaign=campaign, part__isnull=True)


def cited_foreign_documents(part: AgencyPart | None, campaign: Campaign, entries: list[Entry]) -> list[Entry]:
    """Documents held elsewhere that these records cite: in a preview they are read as in the province bundle (a
    citation across parts comes from an imported bundle; the forms offer a part its own documents)."""
    own = {data.get("id") for section, data in entries if section == "documents"}
    cited = {ref for _, data in entries for ref in data.get("documents", []) if ref not in own}
    if not cited:
        return []
    found = Record.objects.filter(campaign=campaign, section="documents", key__in=cited)
    found = found.exclude(part=part) if part is not None else found.exclude(part__isnull=True)
    return entries_of(found)


def agency_parts(part: AgencyPart, entries: list[Entry]) -> dict[str, Any]:
    campaign = part.campaign
    parts = {HEADER_FILE: header_data(campaign), file_names(campaign)[part.agency]: part_data(entries)}
    foreign = cited_foreign_documents(part, campaign, entries)
    if foreign:
        parts[FOREIGN_FILE] = part_data(foreign)
    return parts


def common_parts(campaign: Campaign, entries: list[Entry]) -> dict[str, Any]:
    """The administrator's records alone with the header: what checking them against the catalogue reads."""
    parts = {HEADER_FILE: header_data(campaign), COMMON_FILE: part_data(entries)}
    foreign = cited_foreign_documents(None, campaign, entries)
    if foreign:
        parts[FOREIGN_FILE] = part_data(foreign)
    return parts


def campaign_parts(campaign: Campaign) -> dict[str, Any]:
    """The header, every agency's part that holds records and the administrator's records: the province's bundle."""
    names = file_names(campaign)
    by_part: dict[int | None, list[Record]] = {}
    for record in campaign.records.all():
        by_part.setdefault(record.part_id, []).append(record)
    parts: dict[str, Any] = {HEADER_FILE: header_data(campaign)}
    for part in campaign.parts.order_by("position"):
        if part.id in by_part:
            parts[names[part.agency]] = part_data(entries_of(by_part[part.id]))
    if None in by_part:
        parts[COMMON_FILE] = part_data(entries_of(by_part[None]))
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


# ---- outcomes kept per process ---------------------------------------------------------------------------------
class _Outcomes:
    """A small least-recently-used store of scoring outcomes, shared by the server's threads."""

    def __init__(self, size: int = 256):
        self.size = size
        self.items: OrderedDict[tuple, Scored] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Scored | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: tuple, scored: Scored) -> None:
        with self.lock:
            self.items[key] = scored
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


outcomes = _Outcomes()


def log_head(campaign: Campaign) -> int:
    """The number of the campaign's last change-log entry (read before the records it stands for)."""
    head = ChainHead.objects.filter(chain=f"campaign:{campaign.pk}").values_list("seq", flat=True).first()
    return head or 0


def preview_key(part: AgencyPart, head: int) -> tuple:
    campaign = part.campaign
    return ("preview", part.pk, part.revision, head, *_campaign_key(campaign))


def province_key(campaign: Campaign, head: int) -> tuple:
    return ("province", campaign.pk, head, *_campaign_key(campaign))


def _campaign_key(campaign: Campaign) -> tuple:
    """What else decides a campaign's outcome: its creation (ids of a database restored or rebuilt may repeat), its
    unit and its settings' version."""
    return (campaign.created_at, campaign.unit_profile, campaign.unit_cluster, campaign.version)


def preview(part: AgencyPart) -> Scored:
    """The agency preview: its part alone, the criteria it leads or co-leads over their maximum, the others out of
    scope."""
    key = preview_key(part, log_head(part.campaign))
    found = outcomes.get(key)
    if found is None:
        found = score_parts(part.campaign, agency_parts(part, entries_of(part.records.all())), agency=part.agency)
        outcomes.put(key, found)
    return found


def province(campaign: Campaign) -> Scored:
    key = province_key(campaign, log_head(campaign))
    found = outcomes.get(key)
    if found is None:
        found = score_parts(campaign, campaign_parts(campaign))
        outcomes.put(key, found)
    return found
