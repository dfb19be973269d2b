"""The survey scale kind (par_score.scales.survey), scored at and around its thresholds as the reference catalogue
states."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
