"""A second, differently shaped catalogue loads and scores with no code change: Bộ Nội vụ's 2022 shape, 61,5 points
appraised + 6,5 points of socio-economic statistics supplied by Bộ Nội vụ + 32 survey points (22 leaders' survey,
10 SIPAS), scoring an example bundle."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from clirun import run_main
from conftest import bundle_from
from own_index import figure, full_marks, lose

from par_score.catalogue import load_catalogue
from par_score.outputs.terminal.tables import score_table
from par_score.scoring.scorer import Scorer
from par_score.testing.synthetic import write_bundle

D = Decimal
PATH = Path(__file__).parent / "catalogues" / "bnv-2022-shape.yaml"
SHAPE = load_catalogue(PATH)
STATISTICS = {  # supplied by Bộ Nội vụ: (statistic, figure) → points (NOTES §2.2)
    "ty_le_tang_truong_grdp_so_voi_chi_tieu": ({"percent": "97"}, "0.75"),
    "ty_le_thu_ngan_sach_so_voi_du_toan": ({"percent": "108"}, "1"),
    "ty_le_von_dau_tu_dang_ky_moi_so_voi_ke_hoach": ({"percent": "85"}, "0.5"),
    "ty_le_doanh_nghiep_thanh_lap_moi_so_voi_nam_truoc": ({"numerator": 1020, "denominator": 1000}, "1"),
    "ty_le_giam_ho_ngheo_so_voi_chi_tieu": ({"percent": "100"}, "1"),
}


def test_the_shape_is_verified_on_load():
    t = SHAPE.catalogue.declared_totals
    assert (t.self_, t.statistics, t.survey, t.all) == (D("61.5"), D("6.5"), D(32), D(100))
    assert len(SHAPE.catalogue.areas) == 8 and len(SHAPE.leaves) == 57


@pytest.fixture(scope="module")
def bundle():
    b = full_marks(SHAPE, code="ninh-thuan")
    b["unit"]["name"] = "Tỉnh Ninh Thuận"
    for statistic, (values, _) in STATISTICS.items():
        b = figure(b, "statistics", statistic, **values)
    return figure(b, "statistics", "thay_doi_diem_pci", value="-0.4")


def test_statistics_supplied_by_bnv_score_their_part(bundle):
    result = Scorer(SHAPE).score(bundle_from(bundle))
    for statistic, (_, points) in STATISTICS.items():
        leaf = next(e for e in SHAPE.leaves if e.input_key == ("statistic", statistic))
        assert result.leaf(leaf.code).points == D(points), leaf.code
    assert result.leaf("8.3.6").points == D("0.5")  # PCI −0,4 points: "> −1" band
    t = result.totals
    assert (t.statistics.points, t.statistics.max) == (D("4.75"), D("6.5"))
    assert t.index_points == D("61.5") + D(32) + D("4.75")  # the survey previews at 100 %: an estimate
    assert t.index_estimated and t.index_pct == D("98.25")
    assert result.leaf("8.3.1").supplied_by == "Bộ Nội vụ (số liệu của Tổng cục Thống kê)"


def test_until_bnv_supplies_them_the_statistics_are_pending(bundle):
    result = Scorer(SHAPE).score(bundle_from(lose(SHAPE, bundle, "8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6")))
    t = result.totals
    assert t.statistics.points is None and t.statistics.pending == [
        "8.3.1",
        "8.3.2",
        "8.3.3",
        "8.3.4",
        "8.3.5",
        "8.3.6",
    ]
    assert t.index_pct is None and t.survey.points == D(32)
    leaf = result.leaf("8.3.1")
    assert leaf.status == "statistics_pending" and leaf.points is None
    assert leaf.status_label == "chờ số liệu thống kê do Bộ Nội vụ (số liệu của Tổng cục Thống kê) cung cấp"
    assert "Phần số liệu thống kê (6,5 điểm): chờ số liệu" in score_table(result)


def test_the_cli_scores_it_given_as_a_file(tmp_path, bundle):
    path = write_bundle(bundle, tmp_path / "ninh-thuan.yaml")
    ran = run_main("score", str(path), "--catalogue", str(PATH), "--out", str(tmp_path / "out"))
    assert ran.code == 0, ran.text
    assert "Thống kê" in ran.out and "4,75 / 6,5" in ran.out
