"""The worked examples of the province's own index (issue 13): a sở scored on its profile's maximum with deductions
and bonus (A), a xã with bonus added to the points, capped, and above 100 (B), a deduction off one criterion (C),
the rating bands at their bounds (D) and the ranking with shared ranks (E) — every figure computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import yaml
from conftest import bundle_from
from own_index import figure, full_marks, issued, late_report, lose, not_applicable

from par_score.catalogue import load_catalogue
from par_score.io.resources import bundled_dir
from par_score.outputs.ranking import RankRow, rank, rating_of
from par_score.scoring.scorer import Scorer

D = Decimal
SO = load_catalogue("chi-so-cchc-so-tham-chieu-2026")
XA = load_catalogue("chi-so-cchc-xa-tham-chieu-2026")


def count(indicator: str, value: int) -> dict:
    return {"indicator": indicator, "value": value}


# ---- A: Thanh tra tỉnh, profile "không có TTHC" (64), 4 criteria không phát sinh -----------------------------------
@pytest.fixture(scope="module")
def example_a():
    b = full_marks(SO, profile="khong-tthc", code="thanh-tra-tinh", cluster="khoi-co-quan-chuyen-mon")
    b = not_applicable(SO, b, "4.2.2", "6.1.1", "6.2.1", "6.2.2")  # M = 64 − 5,5 = 58,5
    b = issued(b, "ke_hoach_cchc_nam", dt.date(2026, 2, 15))  # 1.1.1 half: −0,75
    b = late_report(b, "h1")  # 1.2.1 one report late: −0,75
    b = lose(SO, b, "1.4.1")  # −0,5
    b = figure(b, "metrics", "so_du_thao_vbqppl_vi_pham_quy_dinh_tthc", value=2)  # 2.1.2: −1
    b = figure(b, "metrics", "so_cbccvc_bi_ky_luat", value=2)  # 5.5.2: −1
    b = figure(b, "metrics", "ty_le_kien_nghi_thanh_tra_kiem_toan_da_thuc_hien", numerator=85, denominator=100)  # −0,5
    b = figure(b, "metrics", "ty_le_van_ban_dien_tu_ky_so", numerator=96, denominator=100)  # 7.2.1: −0,75
    b = figure(b, "metrics", "ty_le_he_thong_thong_tin_duoc_phe_duyet_cap_do", numerator=85, denominator=100)  # −0,25
    b = figure(b, "survey", "8.2", percent="85.50")  # 6 × 85,50 % = 5,13
    b = figure(b, "survey", "8.3", percent="78.25")  # 4 × 78,25 % = 3,13
    b["metrics"] += [
        count("so_vu_nhung_nhieu_tthc", 2),  # TR3 → area 3: asks 2, area 3 has 1
        count("so_ngay_nop_ho_so_tu_danh_gia_cham", 3),  # TR1 → total: 3 × 0,25
        count("so_khen_thuong_cchc_chuyen_doi_so", 1),  # T2: 0,5
    ]
    return Scorer(SO).score(bundle_from(b))


def test_a_maximum_follows_the_profile_and_the_declarations(example_a):
    t = example_a.totals
    assert t.index_max == D("58.5")
    assert t.self_.points == D("43") and t.self_.max == D("48.5")
    assert t.survey.points == D("8.26")
    assert t.statistics.max == 0  # 3.5.1 does not apply to the profile
    assert example_a.leaf("3.5.1").status == "not_for_profile"
    assert example_a.leaf("7.3.2").status_label == "không áp dụng đối với loại đơn vị"


def test_a_deductions_take_no_more_than_their_node_has(example_a):
    by_code = {item.code: item for item in example_a.deductions}
    assert (by_code["TR3"].points, by_code["TR3"].effective) == (D(2), D(1))
    assert (by_code["TR3"].node_before, by_code["TR3"].node_after) == (D(1), D(0))
    assert by_code["TR1"].effective == D("0.75")
    assert by_code["TR4"].status == "not_for_profile"  # 7.3 does not apply to the profile
    area3 = next(a for a in example_a.areas if a.code == "3")
    assert (area3.points, area3.deducted) == (D(0), D(1))
    assert example_a.totals.deducted == D("1.75")
    assert example_a.totals.index_points == D("49.51")


def test_a_bonus_is_added_to_the_index(example_a):
    t = example_a.totals
    assert example_a.bonus.points == D("0.5") and t.bonus == D("0.5")
    assert next(i for i in example_a.bonus.items if i.code == "T3").status == "not_for_profile"
    assert t.index_pct_without_bonus == D("84.63")  # 49,51 / 58,5
    assert t.index_pct == D("85.13")  # 84,6324… + 0,5, rounded once
    assert rating_of(t.index_pct, SO).name == "Tốt"


# ---- B: xã, bonus added to the points (cap 3) ----------------------------------------------------------------------
def xa_example(index, profile="xa"):
    b = full_marks(index, profile=profile, code=f"thu-{profile}")
    if profile == "xa":
        b = not_applicable(index, b, "6.1.1")  # M = 98,5
        b = lose(index, b, "1.1.2", "1.2.1", "3.3.1", "2.3.2", "1.3.1")  # −10,5 → P = 88
    else:
        b = lose(index, b, "1.3.1")  # P = 99
    b["documents"].append(
        {
            "id": "qd-kieu-mau",
            "kind": "quyet_dinh",
            "number": "3105/QĐ-UBND",
            "issuer": "UBND tỉnh",
            "issue_date": dt.date(2026, 12, 22),
            "title": "Quyết định công nhận kiểu mẫu",
            "topics": ["quyet_dinh_cong_nhan_kieu_mau"],
        }
    )
    b["metrics"] += [count("so_sang_kien_cchc_duoc_nhan_rong", 1), count("so_khen_thuong_cchc_chuyen_doi_so", 2)]
    return Scorer(index).score(bundle_from(b))


def variant(tmp_path, **bonus):
    data = yaml.safe_load((bundled_dir("criteria") / f"{XA.id}.yaml").read_text(encoding="utf-8"))
    data["bonus"].update(bonus)
    data["id"] = "xa-bien-the"
    path = tmp_path / "xa-bien-the.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_catalogue(path)


def test_b_bonus_added_to_the_points_is_capped():
    result = xa_example(XA)
    t = result.totals
    assert (t.index_points, t.index_max) == (D(88), D("98.5"))
    assert result.bonus.points == D("3.5") and t.bonus == D(3)
    assert t.index_pct == D("92.39")  # (88 + 3) / 98,5
    assert rating_of(t.index_pct, XA).name == "Xuất sắc"


def test_b_bonus_added_to_the_index(tmp_path):
    t = xa_example(variant(tmp_path, added_to="index")).totals
    assert t.index_pct == D("92.34")  # 88 / 98,5 × 100 + 3


def test_b_a_phuong_may_exceed_100_only_where_allowed(tmp_path):
    assert xa_example(XA, "phuong").totals.index_pct == D("102.00")
    assert xa_example(variant(tmp_path, allow_above_max=False), "phuong").totals.index_pct == D("100.00")


# ---- C: a deduction off one criterion (TR4 → 7.3) ------------------------------------------------------------------
def test_c_a_criterion_deduction_lowers_the_criterion_its_area_and_the_total():
    b = full_marks(SO, profile="co-tthc", code="so-thu", cluster="khoi-co-quan-chuyen-mon")
    b = figure(b, "metrics", "ty_le_ho_so_thanh_toan_truc_tuyen", numerator=31, denominator=100)  # 7.3.3: 1 of 2
    b["metrics"].append(count("so_ho_so_truc_tuyen_nop_thay_sai_quy_dinh", 5))  # 5 × 0,25, at most 1
    result = Scorer(SO).score(bundle_from(b))
    area7 = next(a for a in result.areas if a.code == "7")
    tc = next(c for c in area7.criteria if c.code == "7.3")
    assert (tc.points, tc.max, tc.pct, tc.deducted) == (D(4), D(6), D("66.67"), D(1))
    assert (area7.points, area7.deducted) == (D(13), D(1))
    item = next(i for i in result.deductions if i.code == "TR4")
    assert (item.points, item.effective) == (D(1), D(1))
    assert result.totals.index_points == D(98)


# ---- D: rating bands at their bounds --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "index, name",
    [("91.20", "Tốt"), ("80.01", "Tốt"), ("80.00", "Khá"), ("60.00", "Khá"), ("59.99", "Kém"), ("0", "Kém")],
)
def test_d_so_ratings_tay_ninh_bands(index, name):
    assert rating_of(D(index), SO).name == name


@pytest.mark.parametrize(
    "index, name", [("90.00", "Xuất sắc"), ("89.99", "Tốt"), ("80", "Tốt"), ("102.78", "Xuất sắc")]
)
def test_d_xa_ratings(index, name):
    assert rating_of(D(index), XA).name == name


def test_d_no_index_no_rating():
    assert rating_of(None, SO) is None


# ---- E: ranking with shared ranks -----------------------------------------------------------------------------------
def row(code: str, index: str | None, estimated: bool = False) -> RankRow:
    pct = None if index is None else D(index)
    return RankRow(code, code.upper(), f"{code}.yaml", D(0), D(0), None, pct, D(100), pct, estimated)


def test_e_equal_indexes_share_a_rank_and_the_next_rank_skips():
    rows = [row("a", "91.20"), row("b", "88.75"), row("c", "88.75"), row("d", "80.00"), row("e", "80.01")]
    rows += [row("f", "59.99"), row("g", None)]
    cluster = rank(rows, SO, id="k", name="Khối")
    placed = [(s.row.unit_code, s.rank, s.rating.name if s.rating else None) for s in cluster.standings]
    assert placed == [
        ("a", 1, "Tốt"),
        ("b", 2, "Tốt"),
        ("c", 2, "Tốt"),
        ("e", 4, "Tốt"),
        ("d", 5, "Khá"),
        ("f", 6, "Kém"),
        ("g", None, None),  # no final index: listed last, unranked
    ]
    assert not cluster.estimated


def test_e_a_ranking_with_estimated_indexes_is_a_preview():
    cluster = rank([row("a", "90"), row("b", "91", estimated=True)], SO, id="k", name="Khối")
    assert cluster.estimated and [s.rank for s in cluster.standings] == [1, 2]
