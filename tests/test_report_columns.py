"""Every printed column of the report adds up: in the areas table and the annex, every total row equals the sum of
its printed rows, for both examples, an appraised run and hypothesis-generated results (with and without an
appraisal, with and without survey previews), in every kind of document. The check itself runs on every render and
turns a mismatch into an internal error (exit code 1)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import bundle_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import SCORER, bundles

from par_score import api
from par_score.audit.appraisal import AppraisalFile, AppraisalRecord, apply_appraisal
from par_score.cli import main
from par_score.io.resources import example_bundle
from par_score.outputs.report import KINDS, build_document
from par_score.outputs.report.checks import ReportSumError, check_sums, column_problems, printed_number
from par_score.outputs.report.figures import PENDING, Column, Row
from par_score.outputs.report.kinds import APPRAISED, LETTER, PREVIEW
from par_score.scoring.result import ScoreResult

EXAMPLES = ["tay-ninh-2024", "tien-giang-2024.yaml"]
APPRAISAL = """\
council: "Hội đồng thẩm định Chỉ số CCHC năm 2024"
date: 2025-03-20
appraisals:
  - {criterion: "1.1.1", points: 0.5, appraiser: "Hội đồng thẩm định"}
  - {criterion: "7.3.4", points: 0, appraiser: "Trần Thị B"}
  - {criterion: "1.7", points: 1.8, appraiser: "Bộ Nội vụ"}
  - {criterion: "8.1", points: 8.55, appraiser: "Bộ Nội vụ"}
"""


def kinds_of(result: ScoreResult) -> list[str]:
    return [APPRAISED, PREVIEW] if result.appraisal is not None else [LETTER, PREVIEW]


def assert_columns_add_up(result: ScoreResult, info=None) -> None:
    for kind in kinds_of(result):
        doc = build_document(result, info, kind)  # runs the check itself; asserted again here, problem by problem
        assert column_problems("Bảng 1", doc.areas.columns, doc.areas.rows) == []
        assert column_problems("Phụ lục", doc.annex.columns, doc.annex.rows) == []
        assert_by_hand(doc)
        assert_same_maxima(doc)
        if kind != PREVIEW:
            assert "estimate" not in {c.key for c in doc.annex.columns}
            assert all("ước tính" not in c.label for c in doc.areas.columns)


def assert_by_hand(doc) -> None:
    """The annex's total row, column by column, as an appraiser adds it: the printed area rows summed."""
    areas = [row for row in doc.annex.rows if row.level == "area"]
    total = doc.annex.rows[-1]
    for column in doc.annex.columns:
        cells = [row.cells[column.key] for row in areas]
        if total.cells[column.key] == PENDING:
            assert PENDING in cells, column.key
            continue
        figures = [printed_number(c) for c in cells if c not in ("", "—")]
        assert printed_number(total.cells[column.key] or "0") == sum(figures, Decimal(0)), column.key


def assert_same_maxima(doc) -> None:
    """An area's maxima read the same in the letter's table and in the annex."""
    annex = {row.code: row.cells for row in doc.annex.rows if row.level == "area"}
    for row in doc.areas.rows:
        key = row.code or "total"
        cells = annex[row.code] if row.code else doc.annex.rows[-1].cells
        assert (row.cells["self_max"], row.cells["survey_max"]) == (cells["self_max"], cells["survey_max"]), key


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_add_up_in_every_kind(name):
    run = api.run_source(example_bundle(name))
    assert_columns_add_up(run.result, run.bundle.report)


@pytest.mark.parametrize("name", EXAMPLES)
def test_appraised_examples_add_up(name, tmp_path):
    path = tmp_path / "tham-dinh.yaml"
    path.write_text(APPRAISAL, encoding="utf-8")
    run = api.appraise(api.run_source(example_bundle(name)), path)
    assert_columns_add_up(run.result, run.bundle.report)


def test_tien_giang_letter_keeps_estimates_apart():
    """Tiền Giang has preview survey figures: the letter states none of them, the preview has its own column."""
    run = api.run_source(example_bundle("tien-giang-2024.yaml"))
    letter = build_document(run.result, run.bundle.report, LETTER)
    preview = build_document(run.result, run.bundle.report, PREVIEW)
    area = {row.code: row.cells for row in letter.areas.rows}["1"]
    assert area["self"] == "5" and area["survey_max"] == "2"
    assert [c.key for c in letter.areas.columns] == ["self_max", "survey_max", "self", "pct"]
    keys = [c.key for c in preview.areas.columns]
    assert keys == ["self_max", "survey_max", "self", "estimate", "final", "pct"]
    previewed = {row.code: row.cells for row in preview.areas.rows}["1"]
    assert previewed["self"] == "5"  # the estimate never mixes into the self-assessed column
    assert printed_number(previewed["final"]) == printed_number(previewed["self"]) + printed_number(
        previewed["estimate"]
    )


# ---- generated results ---------------------------------------------------------------------------------------------
@st.composite
def appraisals(draw, result: ScoreResult):
    leaves = [leaf for leaf in result.criteria if leaf.status not in ("not_applicable_excluded", "out_of_scope")]
    chosen = draw(st.lists(st.sampled_from(leaves), unique_by=lambda leaf: leaf.code, min_size=1, max_size=12))
    records = []
    for leaf in chosen:
        steps = int(leaf.max / Decimal("0.05"))
        points = Decimal(draw(st.integers(0, steps))) * Decimal("0.05")
        records.append(AppraisalRecord(criterion=leaf.code, points=points, appraiser="Hội đồng"))
    return AppraisalFile(appraisals=records)


GENERATED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@GENERATED
@given(bundles())
def test_generated_results_add_up(bundle):
    assert_columns_add_up(SCORER.score(bundle_from(bundle)))


@GENERATED
@given(st.data())
def test_generated_appraised_results_add_up(data):
    result = SCORER.score(bundle_from(data.draw(bundles())))
    appraisal = data.draw(appraisals(result))
    final = apply_appraisal(result, appraisal, file="tham-dinh.yaml", sha256="0" * 64)
    assert_columns_add_up(final)


# ---- the check catches what it must -----------------------------------------------------------------------------
def test_a_printed_total_that_does_not_add_up_is_a_defect():
    run = api.run_source(example_bundle())
    doc = build_document(run.result, run.bundle.report)
    rows = list(doc.annex.rows)
    area = next(i for i, row in enumerate(rows) if row.code == "2")
    rows[area] = replace(rows[area], cells={**rows[area].cells, "self": "5,5"})  # printed 6 → 5,5
    with pytest.raises(ReportSumError) as caught:
        check_sums([("Phụ lục", doc.annex.columns, rows)])
    assert "Phụ lục, cột “Tự đánh giá”, dòng Tổng cộng: tổng ghi “59,25”, các dòng cộng lại được 58,75" in str(
        caught.value
    )
    assert any("dòng 2:" in line for line in caught.value.details)  # the area row no longer matches its TCs


def test_pending_and_blank_cells_follow_the_rules():
    assert column_problems("t", [], []) == []
    column = [Column("x", "", "X")]

    def rows(total, *parts):
        children = [Row(key=f"r{i}", level="leaf", code=f"r{i}", name="", cells={"x": p}) for i, p in enumerate(parts)]
        return [
            *children,
            Row(key="t", level="total", code="", name="T", cells={"x": total}, children=tuple(c.key for c in children)),
        ]

    assert column_problems("t", column, rows("1,5", "1", "", "0,5", "—")) == []
    assert column_problems("t", column, rows(PENDING, "1", PENDING)) == []
    assert column_problems("t", column, rows("1", "1", PENDING))  # a total beside a pending row
    assert column_problems("t", column, rows(PENDING, "1", "2"))  # pending with nothing pending
    assert column_problems("t", column, rows("", "1"))  # blank total over figures
    assert column_problems("t", column, rows("3", "1", "abc"))  # not a number


def test_a_column_mismatch_ends_with_exit_code_1(tmp_path, monkeypatch, capsys):
    import par_score.outputs.report.document as document

    original = document.areas_table

    def off_by_one(src):
        table = original(src)
        total = table.rows[-1]
        wrong = replace(total, cells={**total.cells, "self": "1"})
        return replace(table, rows=[*table.rows[:-1], wrong])

    monkeypatch.setattr(document, "areas_table", off_by_one)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        main(["report", str(example_bundle()), "--out", str(out), "--format", "html"])
    assert exited.value.code == 1
    assert "cột điểm không cộng đúng" in capsys.readouterr().err
    assert not out.exists()


def test_every_kind_is_known():
    assert set(KINDS) == {LETTER, APPRAISED, PREVIEW}
