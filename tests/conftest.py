from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import django
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


# The workspace's Django settings for the web tests (tests/web), made before any test module is imported: a
# throw-away data folder, and the PostgreSQL server named by PAR_SCORE_TEST_DATABASE_URL when it is set (else
# SQLite). pytest-django creates the test database from these settings.
_WEB_DATA = tempfile.mkdtemp(prefix="par-score-test-web-")
os.environ["PAR_SCORE_DATA"] = _WEB_DATA
os.environ["PAR_SCORE_SECRET_KEY"] = "test-only-secret-key-not-for-any-deployment"
if os.environ.get("PAR_SCORE_TEST_DATABASE_URL"):
    os.environ["PAR_SCORE_DATABASE_URL"] = os.environ["PAR_SCORE_TEST_DATABASE_URL"]
else:
    os.environ.pop("PAR_SCORE_DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "par_score.web.settings"
django.setup()


def pytest_unconfigure(config):
    shutil.rmtree(_WEB_DATA, ignore_errors=True)
