"""The catalogue of a campaign (bundled id or an uploaded file), loaded once per process, and who answers for what in
it: an agency answers for the criteria it leads (chủ trì) or co-leads (phối hợp); the Sở Nội vụ administrator enters
what no agency reports (statistics supplied by outside bodies, the inputs of bonus and deduction items)."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from par_score import api
from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.vocabulary import Combine

COMMON = ""  # the owner of campaign-level records: the administrator, not an agency

_cache: dict[tuple[str, str], CatalogueIndex] = {}
_lock = threading.Lock()


def catalogue_path(campaign) -> Path | None:
    """The uploaded catalogue file of a campaign (None for a bundled catalogue)."""
    if campaign.catalogue_file is None:
        return None
    return Path(settings.STORE_DIR) / campaign.catalogue_file.relative_path


def campaign_catalogue(campaign) -> CatalogueIndex:
    """Bundled catalogues never change while the server runs and uploaded ones are stored by their hash: cached."""
    key = (campaign.catalogue_id, campaign.catalogue_file.sha256 if campaign.catalogue_file else "")
    index = _cache.get(key)
    if index is None:
        path = catalogue_path(campaign)
        index = api.load_catalogue(path if path is not None else campaign.catalogue_id)
        with _lock:
            _cache[key] = index
    return index


# ---- which criteria a campaign's unit is scored on, and which an agency answers for --------------------------
def applies(index: CatalogueIndex, entry: LeafEntry, profile: str | None) -> bool:
    """Whether a leaf applies to the campaign's unit (a catalogue with profiles excludes some for some units)."""
    return index.applies(entry, profile or None)


def answers(entry: LeafEntry, agency: str) -> bool:
    """Whether an agency leads or co-leads a leaf (names as the catalogue spells them, as the parts are named)."""
    return agency in entry.agencies


def leaves_of(index: CatalogueIndex, agency: str, profile: str | None = None) -> list[LeafEntry]:
    return [e for e in index.leaves if answers(e, agency) and applies(index, e, profile)]


def document_uses(entry: LeafEntry):
    return [use for use in entry.uses if use.key[0] == "document"]


def indicator_uses(entry: LeafEntry):
    return [use for use in entry.uses if use.key[0] == "indicator"]


def topics_of(index: CatalogueIndex, agency: str, profile: str | None = None) -> dict[str, object]:
    """The document topics an agency's leaves read, each with the input use that reads it (catalogue order)."""
    found: dict[str, object] = {}
    for entry in leaves_of(index, agency, profile):
        for use in document_uses(entry):
            found.setdefault(use.key[1], use)
    return found


def periods_of(use) -> list:
    """The report periods of a periodic input (none for the other kinds)."""
    return use.kind.periods(use.scale)


def reads_ratio(use) -> bool:
    """Whether an input reads a ratio (typed as numerator + denominator or a percent) rather than a plain value."""
    return "ratio" in use.kind.variables_of(use.scale)


def summed(index: CatalogueIndex, indicator: str) -> bool:
    """Whether the catalogue sums an indicator's figures from its contributors (combine: sum): one per agency."""
    return index.combine_policies().get(indicator) == Combine.SUM


def input_kind(entry: LeafEntry) -> str:
    """What a leaf reads: "document", "indicator", "statistic", "survey", or "parts" (several inputs)."""
    kinds = {use.key[0] for use in entry.uses}
    return kinds.pop() if len(kinds) == 1 and len(entry.uses) == 1 else "parts"


# ---- ownership: which agency answers for which record --------------------------------------------------------
def _leaf_agencies(uses) -> set[str]:
    return {agency for use in uses if isinstance(use.owner, LeafEntry) for agency in use.owner.agencies}


def owners(index: CatalogueIndex, section: str, data: dict) -> set[str]:
    """The owners a record may belong to: agencies, or COMMON for what the administrator enters (empty: none, e.g.
    an unknown code). A figure read by a leaf belongs to the leaf's agencies; one read only by a bonus or deduction
    item, and every statistic, to COMMON. A document evidences the topics it names; one without topics supports
    other records and may belong to anyone."""
    if section == "statistics":
        return {COMMON}
    if section == "documents":
        topics = data.get("topics") or []
        if not topics:
            return {*index.agencies(), COMMON}
        found = [_input_owners(index.uses.get(("document", t), [])) for t in topics]
        return set.intersection(*found)
    if section == "metrics":
        return _input_owners(index.uses.get(("indicator", data.get("indicator", "")), []))
    if section == "survey":
        return _leaf_agencies(index.uses.get(("survey", data.get("item", "")), []))
    if section == "not_achieved":
        return _leaf_agencies(index.uses.get(("document", data.get("topic", "")), []))
    code = data.get("criterion", "")
    return {agency for e in index.leaves if e.code == code or _under(e, code) for agency in e.agencies}


def _input_owners(uses) -> set[str]:
    agencies = _leaf_agencies(uses)
    if agencies:
        return agencies
    return {COMMON} if uses else set()


def lead_owner(index: CatalogueIndex, section: str, data: dict) -> str | None:
    """Where a record goes when several may hold it (an imported bundle): its contributor if one of them, else the
    agency leading the first leaf it answers for, else the only candidate."""
    candidates = owners(index, section, data)
    contributor = data.get("contributor")
    if contributor in candidates:
        return contributor
    for code in leaf_codes(index, section, data):
        if index.by_code[code].agency in candidates:
            return index.by_code[code].agency
    return next(iter(candidates)) if len(candidates) == 1 else None


def _under(entry: LeafEntry, code: str) -> bool:
    return entry.criterion.code == code or entry.area.code == code


def leaf_codes(index: CatalogueIndex, section: str, data: dict) -> list[str]:
    """The leaves a record answers for (to list it beside them)."""
    by_input = _leaves_by_input(index)
    if section == "documents":
        found = {n for topic in set(data.get("topics") or []) for n in by_input.get(("document", topic), ())}
        return [index.leaves[n].code for n in sorted(found)]
    kind, key = {
        "metrics": ("indicator", data.get("indicator")),
        "statistics": ("statistic", data.get("statistic")),
        "survey": ("survey", data.get("item")),
        "not_achieved": ("document", data.get("topic")),
    }.get(section, (None, None))
    if kind is not None:
        if not isinstance(key, str):  # no input key is anything but text
            return []
        return [index.leaves[n].code for n in sorted(by_input.get((kind, key), ()))]
    code = data.get("criterion", "")
    return [e.code for e in index.leaves if e.code == code or _under(e, code)]


_by_input: dict[int, tuple[CatalogueIndex, dict[tuple, frozenset[int]]]] = {}  # by id(index), the index held with it


def _leaves_by_input(index: CatalogueIndex) -> dict[tuple, frozenset[int]]:
    """Per input (kind, key), the positions of the leaves that read it: a page lists every record beside its leaves."""
    found = _by_input.get(id(index))
    if found is not None and found[0] is index:
        return found[1]
    positions: dict[tuple, set[int]] = {}
    for n, entry in enumerate(index.leaves):
        for use in entry.uses:
            positions.setdefault(tuple(use.key), set()).add(n)
    by_input = {key: frozenset(found) for key, found in positions.items()}
    with _lock:
        if len(_by_input) >= 8:  # a server uses one or a few catalogues
            _by_input.clear()
        _by_input[id(index)] = (index, by_input)
    return by_input


def item_codes(index: CatalogueIndex, section: str, data: dict) -> list[str]:
    """The bonus and deduction items a record is an input of."""
    kind, key = {
        "metrics": ("indicator", data.get("indicator")),
        "documents": ("document", None),
    }.get(section, (None, None))
    if kind is None:
        return []
    if kind == "document":
        topics = set(data.get("topics") or [])
        return [i.code for i in index.items if any(u.key[0] == "document" and u.key[1] in topics for u in i.uses)]
    return [i.code for i in index.items if any(u.key == (kind, key) for u in i.uses)]
