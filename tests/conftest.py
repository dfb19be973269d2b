from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from builders import full_marks

from par_score.catalogue import load_catalogue
from par_score.evidence.load import LoadedPart, merge_parts
from par_score.evidence.model import BundlePart
from par_score.scoring.scorer import Scorer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="session")
def scorer(catalogue):
    return Scorer(catalogue)


@pytest.fixture
def full_bundle(catalogue):
    return full_marks(catalogue)


def bundle_from(data: dict, name: str = "test.yaml"):
    """A Bundle from an in-memory dict, as if read from one file."""
    part = BundlePart.model_validate(data)
    return merge_parts([LoadedPart(Path(name), part)], root=Path("."))


@pytest.fixture
def score(scorer):
    def run(data: dict, **kwargs):
        return scorer.score(bundle_from(data), **kwargs)

    return run


def pytest_terminal_summary(terminalreporter):
    """Print the fuzz suite's outcome counts (tests/test_fuzz.py), with or without -s."""
    import fuzzstats

    line = fuzzstats.summary()
    if line:
        terminalreporter.write_line(line)
