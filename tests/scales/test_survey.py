"""The survey scale kind (par_score.scales.survey), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import bundle_from
from kinds import bundle_for, one_leaf_catalogue, planned

from par_score.planning.propose import horizon_of, standings
from par_score.rules.facts import LeafFacts
from par_score.scales import KINDS, Found, Standing
from par_score.scoring.scorer import Scorer
from par_score.vocabulary import LeafState

D = Decimal


def leaf(result, code):
    found = result.leaf(code)
    assert found is not None
    return found


# ---- survey: never self-scored; a preview value is an estimate -----------------------------------------------------
def test_survey_items_wait_for_bnv_without_preview_values(score, full_bundle):
    result = score(full_bundle)
    sipas = leaf(result, "8.1")
    assert sipas.points is None and sipas.status == "survey_pending"
    assert sipas.status_label == "chờ Bộ Nội vụ đánh giá"
    assert result.totals.self_.points == 62 and result.totals.self_.max == 62
    assert result.totals.index_pct is None


@pytest.mark.parametrize(
    "percent, points", [("83.94", "8.39"), ("91.17", "9.12"), ("91.15", "9.12"), ("91.149", "9.11"), ("100", "10")]
)
def test_sipas_preview_is_max_times_percent_rounded_half_up(score, full_bundle, percent, points):
    bundle = {**full_bundle, "survey": [{"item": "8.1", "percent": percent}]}
    sipas = leaf(score(bundle), "8.1")
    assert sipas.points == D(points) and sipas.status == "survey_estimated" and sipas.estimated


def test_survey_answers_are_weighted_100_60_20_0(score, full_bundle):
    bundle = {**full_bundle, "survey": [{"item": "8.2", "answers": {"A": 50, "B": 30, "C": 15, "D": 5}}]}
    # (50×1 + 30×0,6 + 15×0,2 + 5×0) / 100 = 71 % → 6 × 0,71 = 4,26
    assert leaf(score(bundle), "8.2").points == D("4.26")


# ---- plan: never something the province scores itself; listed with its weight and last known values ----------------
@pytest.fixture(scope="module")
def one_leaf(tmp_path_factory):
    return one_leaf_catalogue(tmp_path_factory.mktemp("survey"), "survey")


def test_the_survey_kind_proposes_nothing_even_below_its_maximum(one_leaf):
    entry = one_leaf.leaves[0]
    facts = LeafFacts(entry.code, LeafState.VALUE, {"percent": D(50)})
    standing = Standing(entry.code, entry.leaf.max, entry.leaf.scale, entry.leaf.input, facts, Found(), D(5))
    assert KINDS["survey"].plan(standing, horizon_of(one_leaf, dt.date(2024, 10, 1))) == []


def test_a_plan_lists_survey_items_with_their_weight_and_last_values(one_leaf):
    data = bundle_for(one_leaf, survey=[{"item": "8.1", "percent": 50, "source": "Ước tính năm trước"}])
    plan = planned(one_leaf, data, dt.date(2024, 10, 1))
    assert plan.agencies == [] and plan.options() == []
    (item,) = plan.survey
    assert (item.code, item.weight) == ("8.1", D(10))
    assert item.last_known == ["tỷ lệ điều tra: 50 % (nguồn: Ước tính năm trước)"]
    bundle = bundle_from(data)
    assert standings(one_leaf, bundle, Scorer(one_leaf).score(bundle)) == []  # never below its maximum to plan
