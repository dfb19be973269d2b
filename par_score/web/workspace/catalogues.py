"""The catalogue of a campaign (bundled id or an uploaded file), loaded once per process, and who owns what in it."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from par_score import api
from par_score.catalogue import CatalogueIndex
from par_score.catalogue.model import DocumentInput, IndicatorInput, SurveyInput
from par_score.scales import kind_of

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


# ---- ownership: which agency answers for which record --------------------------------------------------------
def leaves_of(index: CatalogueIndex, agency: str):
    return [e for e in index.leaves if e.agency == agency]


def topics_of(index: CatalogueIndex, agency: str) -> dict[str, object]:
    """The document topics an agency's leaves read, each with its leaf entry (catalogue order)."""
    return {e.input_key[1]: e for e in leaves_of(index, agency) if isinstance(e.leaf.input, DocumentInput)}


def periods_of(entry) -> list:
    """The report periods of a periodic leaf (none for the other kinds)."""
    return kind_of(entry.leaf.scale).periods(entry.leaf.scale)


def reads_ratio(entry) -> bool:
    """Whether a leaf reads a ratio (typed as numerator + denominator or a percent) rather than a plain value."""
    return "ratio" in kind_of(entry.leaf.scale).variables


def owners(index: CatalogueIndex, section: str, data: dict) -> set[str]:
    """The agencies a record may belong to (empty: none does, e.g. an unknown code). A document evidences the topics
    it names; one without topics supports other records and may belong to any agency."""
    if section == "documents":
        topics = data.get("topics") or []
        if not topics:
            return set(index.agencies())
        found = [{e.agency for e in index.leaves if e.input_key == ("document", t)} for t in topics]
        return set.intersection(*found) if found else set()
    if section == "metrics":
        entry = index.by_indicator.get(data.get("indicator", ""))
        return {entry.agency} if entry else set()
    if section == "survey":
        entry = index.by_survey_item.get(data.get("item", ""))
        return {entry.agency} if entry else set()
    code = data.get("criterion", "")
    return {e.agency for e in index.leaves if e.code == code or _under(e, code)}


def _under(entry, code: str) -> bool:
    return entry.criterion.code == code or entry.area.code == code


def leaf_codes(index: CatalogueIndex, section: str, data: dict) -> list[str]:
    """The leaves a record answers for (to list it beside them)."""
    if section == "documents":
        topics = set(data.get("topics") or [])
        return [e.code for e in index.leaves if e.input_key[0] == "document" and e.input_key[1] in topics]
    if section == "metrics":
        return [e.code for e in index.leaves if e.input_key == ("indicator", data.get("indicator"))]
    if section == "survey":
        return [e.code for e in index.leaves if e.input_key == ("survey", data.get("item"))]
    code = data.get("criterion", "")
    return [e.code for e in index.leaves if e.code == code or _under(e, code)]


def input_kind(entry) -> str:
    given = entry.leaf.input
    if isinstance(given, DocumentInput):
        return "document"
    if isinstance(given, IndicatorInput):
        return "indicator"
    assert isinstance(given, SurveyInput)
    return "survey"
