"""The scoring pipeline as one call: load the evidence → resolve its catalogue → check → score.

Every face of par_score (CLI commands, rerun, batch, the web workspace) scores through here, so that a bundle is
always read leniently (its record problems are reported with the catalogue checks, in one round) and scored against
the catalogue it names unless one is given.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from par_score.catalogue import CatalogueIndex, load_catalogue
from par_score.evidence import Bundle, load_bundle
from par_score.scoring.result import ScoreResult
from par_score.scoring.scorer import Scorer

CatalogueRef = CatalogueIndex | str | Path | None


@dataclass(frozen=True)
class Run:
    """One scored bundle with what it was scored from: what writing its results and audit trail needs."""

    source: Path | None  # the bundle as given (file, folder or workbook); None for a bundle built in memory
    bundle: Bundle
    catalogue: CatalogueIndex
    result: ScoreResult

    def with_result(self, result: ScoreResult) -> Run:
        """The same run with another result (e.g. after an appraisal was applied)."""
        return Run(self.source, self.bundle, self.catalogue, result)


def resolve_catalogue(catalogue: CatalogueRef, bundle: Bundle | None = None) -> CatalogueIndex:
    """A loaded catalogue as given, or loaded by id/path, or the one the bundle names, or the default."""
    if isinstance(catalogue, CatalogueIndex):
        return catalogue
    return load_catalogue(catalogue or (bundle.catalogue if bundle is not None else None))


def score_bundle(
    bundle: Bundle,
    catalogue: CatalogueRef = None,
    *,
    agency: str | None = None,
    source: Path | None = None,
    verify_files: bool = True,
) -> Run:
    """Check and score a loaded bundle. `verify_files=False` leaves out the checks of attached files (present, inside
    the bundle folder, matching their sha256): for a caller whose own store verified them on arrival."""
    index = resolve_catalogue(catalogue, bundle)
    return Run(source, bundle, index, scorer_for(index).score(bundle, agency=agency, verify_files=verify_files))


SCORERS_KEPT = 8  # catalogues whose Scorer is kept (a server uses one or a few)
_scorers: OrderedDict[int, tuple[CatalogueIndex, Scorer]] = OrderedDict()  # by id(index), the index held with it
_scorers_lock = threading.Lock()


def scorer_for(index: CatalogueIndex) -> Scorer:
    """The Scorer of a loaded catalogue, kept for the last few catalogues used: compiling a catalogue's rules costs
    more than scoring one bundle, and a server scores the same catalogue again and again. A Scorer holds nothing of a
    run (each run gets its own rule-engine host and ruleset), so threads share it."""
    key = id(index)  # the entry holds the index, so its id is not reused while kept
    with _scorers_lock:
        found = _scorers.get(key)
        if found is not None and found[0] is index:
            _scorers.move_to_end(key)
            return found[1]
    scorer = Scorer(index).prepared()
    with _scorers_lock:
        found = _scorers.get(key)
        if found is not None and found[0] is index:
            return found[1]
        _scorers[key] = (index, scorer)
        while len(_scorers) > SCORERS_KEPT:
            _scorers.popitem(last=False)
    return scorer


def run_source(source: Path | str, catalogue: CatalogueRef = None, *, agency: str | None = None) -> Run:
    """Load the bundle at `source` (a YAML/JSON file, a folder of parts or an .xlsx workbook) and score it."""
    source = Path(source)
    bundle = load_bundle(source, lenient=True)  # the Scorer's checks report its load problems
    return score_bundle(bundle, catalogue, agency=agency, source=source)
