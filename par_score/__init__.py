"""par_score: self-scoring engine for the Vietnamese provincial PAR INDEX (Chỉ số cải cách hành chính).

The public API is what this module exports (see par_score.api for the convenience functions); everything else is
reached through its package and may change between versions.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("par-score")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

from par_score.api import (
    Plan,
    Run,
    appraise,
    bundle_from_data,
    load_bundle,
    load_catalogue,
    load_result,
    plan,
    plan_source,
    run_files,
    run_source,
    score_bundle,
    score_source,
    write_run,
)
from par_score.errors import (
    CatalogueError,
    EngineError,
    InputError,
    OutputError,
    ParScoreError,
    Problem,
)
from par_score.scoring.result import ScoreResult

__all__ = [
    "CatalogueError",
    "EngineError",
    "InputError",
    "OutputError",
    "ParScoreError",
    "Plan",
    "Problem",
    "Run",
    "ScoreResult",
    "__version__",
    "appraise",
    "bundle_from_data",
    "load_bundle",
    "load_catalogue",
    "load_result",
    "plan",
    "plan_source",
    "run_files",
    "run_source",
    "score_bundle",
    "score_source",
    "write_run",
]
