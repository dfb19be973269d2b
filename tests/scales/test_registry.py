"""The scale-kind registry: every module of par_score.scales is a kind with the whole contract; the bands of every
kind are mutually exclusive and cover every value; a new kind is one new module."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import bundle_from
from hypothesis import given, settings
from hypothesis import strategies as st
from kinds import DECLARATIONS, one_leaf_catalogue

import par_score
from par_score.scales import KINDS
from par_score.scoring.compile import compile_catalogue
from par_score.scoring.scorer import Scorer
from par_score.testing.synthetic import synthetic_bundle
from par_score.vocabulary import LeafState

ROOT = Path(par_score.__file__).resolve().parent.parent


def test_every_module_of_the_package_is_a_registered_kind():
    modules = sorted(p.stem for p in (ROOT / "par_score" / "scales").glob("*.py") if not p.stem.startswith("_"))
    assert sorted(KINDS) == modules
    assert sorted(DECLARATIONS) == modules, "tests/scales/kinds.py needs a declaration for every kind"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_has_its_own_test_module(kind):
    assert (Path(__file__).parent / f"test_{kind}.py").is_file()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_kind_declares_its_type_its_input_and_variables(kind):
    module = KINDS[kind]
    assert module.type == kind
    assert module.input in ("document", "indicator", "survey")
    assert module.variables and module.label
    assert module.model.model_fields["type"].annotation.__args__ == (kind,)


# What each variable can be once a kind has read it: whole counts, at least one document or report (none is
# "missing"), late reports among those received; ratios, values, dates and percents are any number.
def _values(variables: tuple[str, ...]):
    number = st.decimals(min_value=-5, max_value=20000000, places=4, allow_nan=False, allow_infinity=False)
    whole = st.integers(min_value=0, max_value=50).map(Decimal)
    if variables == ("received", "late"):
        return st.integers(1, 4).flatmap(
            lambda n: st.fixed_dictionaries({"received": st.just(Decimal(n)), "late": st.integers(0, n).map(Decimal)})
        )
    domain = {"present": st.integers(1, 5).map(Decimal), "count": whole}
    return st.fixed_dictionaries({name: domain.get(name, number) for name in variables})


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_exactly_one_band_holds_for_any_value(tmp_path_factory, kind):
    rules = compile_catalogue(one_leaf_catalogue(tmp_path_factory.mktemp(kind), kind))[0]

    @settings(max_examples=150, deadline=None)
    @given(_values(rules.variables))
    def check(values: dict[str, Decimal]) -> None:
        holding = [band.key for band in rules.bands if band.holds(LeafState.VALUE, values)]
        assert len(holding) == 1, (values, holding)

    check()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_evidence_a_kind_synthesizes_is_valid_and_scores_within_its_maximum(tmp_path_factory, kind):
    index = one_leaf_catalogue(tmp_path_factory.mktemp(kind), kind)
    scorer = Scorer(index)
    for seed in range(40):
        data = synthetic_bundle(index, random.Random(seed), survey_share=1)
        leaf = scorer.score(bundle_from(data)).criteria[0]  # engine and evaluator agree, or EngineError
        assert leaf.points is None or 0 <= leaf.points <= leaf.max


@pytest.mark.parametrize("state", [s for s in LeafState if s is not LeafState.VALUE])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_value_band_holds_for_a_leaf_without_a_value(tmp_path_factory, kind, state):
    rules = compile_catalogue(one_leaf_catalogue(tmp_path_factory.mktemp(kind), kind))[0]
    assert not [b for b in rules.bands if b.is_value_band and b.holds(state, {})]


NEW_KIND = '''
"""at_least (đạt ngưỡng): a value at or above the declared threshold → full marks, else 0."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from par_score.rules.bands import FULL_POINTS, ZERO_POINTS, value_band
from par_score.rules.conditions import compare
from par_score.rules.fields import DeclarationModel, Dec
from par_score.scales import _figures

TYPE = "at_least"
LABEL = "đạt ngưỡng"
INPUT = "indicator"
VARIABLES = ("value",)


class Model(DeclarationModel):
    type: Literal["at_least"]
    threshold: Dec


def value_bands(code, maximum, scale, year):
    return [
        value_band(code, "dat", "Đạt ngưỡng: điểm tối đa", (compare("value", ">=", scale.threshold),), FULL_POINTS),
        value_band(code, "chua-dat", "Chưa đạt ngưỡng: 0 điểm", (compare("value", "<", scale.threshold),), ZERO_POINTS),
    ]


def read(code, scale, found, year):
    return _figures.read_value(code, found, "value", "giá trị")


def check_metric(metric, given, code, na_policy):
    return _figures.check_value(metric, code, whole=False)


def synthesize(builder, scale, given, code):
    builder.metric(given, {"value": builder.rng.randint(0, 10)})
'''

CATALOGUE = """
format: par-score/catalogue@1
id: thu-at-least
version: "1"
title: "Danh mục thử thang điểm mới"
kind: reference
legal_basis: ["Dùng cho kiểm thử"]
evaluation_year: 2024
unit_level: tinh
declared_totals: {self: 2, survey: 0, all: 2}
areas:
  - code: "1"
    name: "Lĩnh vực thử"
    agency: "Sở Nội vụ"
    declared_totals: {self: 2, survey: 0, all: 2}
    criteria:
      - {code: "1.1", name: "Tiêu chí thử", max: 2, source: self, input: {indicator: chi_so}, scale: {type: at_least, threshold: 5}}
"""

BUNDLE = """
format: par-score/evidence@1
unit: {code: thu, name: "Tỉnh Thử", level: tinh}
year: 2024
metrics: [{indicator: chi_so, value: %s}]
"""


def test_a_new_scale_kind_is_one_new_module(tmp_path):
    """Copy the package, drop one module into par_score/scales/, and score a catalogue that uses it: no other edit."""
    shutil.copytree(ROOT / "par_score", tmp_path / "par_score", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("criteria", "evidence", "reports"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "par_score" / "scales" / "at_least.py").write_text(textwrap.dedent(NEW_KIND), encoding="utf-8")
    (tmp_path / "cat.yaml").write_text(CATALOGUE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    outcomes = []
    for value in (7, 4):
        (tmp_path / "b.yaml").write_text(BUNDLE % value, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "par_score", "explain", "b.yaml", "1.1", "--catalogue", "cat.yaml"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outcomes.append(done.stdout)
    assert "Đạt ngưỡng: điểm tối đa" in outcomes[0] and "2 / 2" in outcomes[0]
    assert "Chưa đạt ngưỡng: 0 điểm" in outcomes[1] and "giá trị ≥ 5" in outcomes[1]
