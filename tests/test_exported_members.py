"""The public API is what par_score exports: pinned here, so that a change to it is a decision, not an accident."""

from __future__ import annotations

import par_score
from par_score import api


def test_the_exported_members_are_pinned():
    assert sorted(par_score.__all__) == [
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


def test_every_exported_member_exists_and_belongs_to_par_score():
    for name in par_score.__all__:
        member = getattr(par_score, name)
        if name != "__version__":
            assert member.__module__.startswith("par_score"), name


def test_the_convenience_functions_are_the_api_module_s_own():
    for name in ("appraise", "bundle_from_data", "plan", "plan_source", "run_files", "score_source", "write_run"):
        assert getattr(par_score, name) is getattr(api, name)
