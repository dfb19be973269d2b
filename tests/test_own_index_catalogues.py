"""The bundled catalogues of 2026 (provincial reference, sở, xã) and what the format checks on load: declared totals
per source and per profile, excluded codes, statistics suppliers, items, ratings and clusters; the unit's profile and
cluster checked against the catalogue; `par-score criteria` and `template` for each catalogue and profile."""

from __future__ import annotations

import copy
import random
from decimal import Decimal

import openpyxl
import pytest
import yaml
from clirun import run_main
from conftest import bundle_from
from own_index import full_marks

from par_score.catalogue import bundled_catalogues, load_catalogue
from par_score.errors import CatalogueError, InputError
from par_score.evidence.load import load_bundle
from par_score.io.resources import bundled_dir
from par_score.scoring.scorer import Scorer
from par_score.testing.synthetic import synthetic_bundle

D = Decimal
SO = load_catalogue("chi-so-cchc-so-tham-chieu-2026")
XA = load_catalogue("chi-so-cchc-xa-tham-chieu-2026")


def test_every_bundled_catalogue_loads_and_is_a_reference_table():
    ids = set(bundled_catalogues())
    assert ids >= {
        "par-tinh-tham-chieu-2024",
        "par-tinh-tham-chieu-2026",
        "chi-so-cchc-so-tham-chieu-2026",
        "chi-so-cchc-xa-tham-chieu-2026",
    }
    for catalogue_id in ids:
        catalogue = load_catalogue(catalogue_id).catalogue
        assert catalogue.kind == "reference"
        assert "KHÔNG phải" in catalogue.notice  # said plainly: not an official annex or an issued Bộ chỉ số


def test_the_2026_provincial_catalogue_keeps_the_62_38_split():
    index = load_catalogue("par-tinh-tham-chieu-2026")
    t = index.catalogue.declared_totals
    assert (t.self_, t.survey, t.all, index.year) == (D(62), D(38), D(100), 2026)
    assert [a.code for a in index.catalogue.areas] == [str(n) for n in range(1, 9)]
    assert not any("huyện" in e.leaf.name for e in index.leaves)  # two-tier local government since 01/7/2025
    assert index.catalogue.areas[6].agency == "Sở Khoa học và Công nghệ"


@pytest.mark.parametrize(
    "index, profile, maximum",
    [(SO, "co-tthc", 100), (SO, "it-tthc", 90), (SO, "khong-tthc", 64), (XA, "xa", 100), (XA, "dac-khu", 100)],
)
def test_each_profile_is_scored_on_its_own_maximum(index, profile, maximum):
    result = Scorer(index).score(bundle_from(full_marks(index, profile=profile, cluster=_cluster(index))))
    t = result.totals
    assert (t.index_max, t.index_points, t.index_pct_without_bonus) == (D(maximum), D(maximum), D(100))


def _cluster(index):
    return None if index.clusters_by_profile else index.catalogue.clusters[0].id


# ---- checks on load -------------------------------------------------------------------------------------------------
def _data(index):
    return yaml.safe_load((bundled_dir("criteria") / f"{index.id}.yaml").read_text(encoding="utf-8"))


def _refused(tmp_path, data) -> str:
    path = tmp_path / "sua.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    return "\n".join(p.render() for p in caught.value.problems)


def test_a_profile_must_add_up_to_its_declared_totals(tmp_path):
    data = _data(SO)
    data["profiles"][2]["declared_totals"]["all"] = 65
    assert "loại đơn vị khong-tthc" in _refused(tmp_path, data) and "khác tổng khai báo 65" in _refused(tmp_path, data)


def test_an_excluded_code_must_exist(tmp_path):
    data = _data(SO)
    data["profiles"][1]["excludes"].append("9.9")
    assert "mã '9.9' trong excludes không có trong danh mục" in _refused(tmp_path, data)


def test_statistics_add_up_per_area(tmp_path):
    data = _data(SO)
    data["areas"][2]["declared_totals"]["statistics"] = 2
    assert "lĩnh vực 3" in _refused(tmp_path, data) and "(statistics)" in _refused(tmp_path, data)


def test_a_statistics_criterion_names_its_supplier(tmp_path):
    data = _data(SO)
    leaf = data["areas"][2]["criteria"][4]["items"][0]
    assert leaf["source"] == "statistics"
    del leaf["supplied_by"]
    assert "phải nêu cơ quan cung cấp (supplied_by)" in _refused(tmp_path, data)


def test_a_self_criterion_does_not_read_a_statistic(tmp_path):
    data = _data(SO)
    data["areas"][2]["criteria"][4]["items"][0]["source"] = "self"
    data["areas"][2]["criteria"][4]["items"][0].pop("supplied_by")
    assert "mới đọc đầu vào 'statistic'" in _refused(tmp_path, data)


def test_a_deduction_targets_an_area_or_a_criterion(tmp_path):
    data = _data(SO)
    data["deductions"][1]["applies_to"] = "9"
    assert "'9' không phải mã lĩnh vực hay tiêu chí" in _refused(tmp_path, data)


def test_items_read_their_own_figures(tmp_path):
    data = _data(SO)
    data["deductions"][0]["input"] = {"indicator": "ty_le_ho_so_dung_han"}
    assert "mỗi khoản điểm trừ đọc một chỉ số riêng" in _refused(tmp_path, data)


def test_the_ratings_cover_every_index(tmp_path):
    data = _data(SO)
    data["ratings"]["bands"][-1] = {"id": "kem", "name": "Kém", "min": 30}
    assert "không thuộc mức xếp loại nào" in _refused(tmp_path, data)


def test_a_cluster_lists_known_profiles_once(tmp_path):
    data = _data(XA)
    data["clusters"][1]["profiles"] = ["xa"]
    text = _refused(tmp_path, data)
    assert "xuất hiện 2 lần" in text and "chưa thuộc khối nào: phuong" in text


def test_bonus_codes_and_bounds(tmp_path):
    data = _data(XA)
    data["bonus"]["items"][1]["code"] = "T1"
    assert "mã điểm thưởng/điểm trừ 'T1' xuất hiện 2 lần" in _refused(tmp_path, data)


# ---- the unit's profile and cluster ----------------------------------------------------------------------------------
def _problems(index, data) -> str:
    with pytest.raises(InputError) as caught:
        Scorer(index).score(bundle_from(data))
    return "\n".join(p.render() for p in caught.value.problems)


def test_a_unit_of_a_catalogue_with_profiles_names_its_profile():
    data = full_marks(SO, profile="co-tthc", cluster="khoi-co-quan-chuyen-mon")
    del data["unit"]["profile"]
    assert "hãy ghi unit.profile: co-tthc, it-tthc, khong-tthc" in _problems(SO, data)


def test_a_unit_names_its_cluster_when_its_profile_does_not_decide_it():
    data = full_marks(SO, profile="co-tthc")
    assert "hãy ghi khối của đơn vị (unit.cluster)" in _problems(SO, data)
    data = full_marks(XA, profile="xa", cluster="khoi-phuong")
    assert "thuộc khối 'khoi-xa' theo danh mục, không phải 'khoi-phuong'" in _problems(XA, data)


def test_figures_of_criteria_that_do_not_apply_to_the_profile_are_refused():
    data = full_marks(SO, profile="khong-tthc", cluster="khoi-co-quan-chuyen-mon")
    data["metrics"].append({"indicator": "ty_le_ho_so_dung_han", "numerator": 9, "denominator": 10})
    assert "(3.3.1) không áp dụng đối với loại đơn vị 'khong-tthc'; bỏ số liệu này" in _problems(SO, data)


def test_a_statistic_given_as_an_indicator_is_pointed_to_its_section():
    data = full_marks(XA, profile="xa")
    data["metrics"].append({"indicator": "diem_bo_chi_so_766", "percent": 90})
    assert "hãy ghi ở phần statistics" in _problems(XA, data)


# ---- synthetic bundles, the CLI -------------------------------------------------------------------------------------
@pytest.mark.parametrize("catalogue_id", ["par-tinh-tham-chieu-2026", SO.id, XA.id])
def test_synthetic_bundles_of_the_new_catalogues_are_valid(catalogue_id):
    index = load_catalogue(catalogue_id)
    scorer = Scorer(index)
    profiles = set()
    for seed in range(12):
        result = scorer.score(bundle_from(synthetic_bundle(index, random.Random(seed), seed + 1)))
        profiles.add(result.unit.profile)
        assert result.totals.self_.points <= result.totals.self_.max
    assert len(profiles) == (len(index.profiles) or 1)


def test_criteria_shows_profiles_sources_items_ratings_and_clusters():
    ran = run_main("criteria", "--catalogue", SO.id)
    assert ran.code == 0
    for words in (
        "Tổng điểm: 100 (tự đánh giá 77,5, thống kê 2,5, điều tra 20)",
        "khong-tthc — Cơ quan, đơn vị không có TTHC giải quyết cho cá nhân, tổ chức: 64 điểm",
        "theo lĩnh vực: 1: 14; 2: 8; 3: 1; 4: 7; 5: 10; 6: 8; 7: 6; 8: 10",
        "số liệu thống kê: diem_bo_chi_so_766",
        "hợp thành từ nhiều chỉ số (đạt đồng thời)",
        "Điểm thưởng: tối đa 3 điểm, cộng vào Chỉ số (điểm %); Chỉ số có thể vượt 100 %.",
        "TR4 Hồ sơ trực tuyến do công chức nộp thay không đúng quy định",
        "vào tiêu chí 7.3",
        "Xếp loại theo Chỉ số CCHC (xét từ trên xuống): Tốt > 80 %; Khá ≥ 60 %; Kém < 60 %.",
        "khoi-co-quan-khac:",
    ):
        assert words in ran.out, words


@pytest.mark.parametrize("profile, rows", [("co-tthc", 68), ("khong-tthc", 51)])
def test_template_per_profile(tmp_path, profile, rows):
    out = tmp_path / f"{profile}.xlsx"
    ran = run_main("template", "--catalogue", SO.id, "--profile", profile, "--out", str(out))
    assert ran.code == 0, ran.text
    assert f"{rows} tiêu chí" in ran.out
    book = openpyxl.load_workbook(out)
    assert ("Số liệu thống kê" in book.sheetnames) == (profile == "co-tthc")  # 3.5.1 is all the sở's statistics
    info = {row[0]: row[1] for row in book["Thông tin"].iter_rows(min_row=2, values_only=True)}
    assert info["Loại đơn vị"] == profile and "Khối" in info
    codes = {row[0] for row in book["Số liệu"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert ("3.3.1" in codes) == (profile == "co-tthc")
    assert {"T2", "TR1"} <= codes


def test_a_filled_template_with_statistics_reads_back(tmp_path):
    out = tmp_path / "xa.xlsx"
    assert run_main("template", "--catalogue", XA.id, "--profile", "phuong", "--out", str(out)).code == 0
    book = openpyxl.load_workbook(out)
    info = book["Thông tin"]
    for row in info.iter_rows(min_row=2):
        label = row[0].value
        if label == "Mã đơn vị":
            row[1].value = "phuong-thu"
        elif label == "Tên đơn vị":
            row[1].value = "Phường Thử"
    sheet = book["Số liệu thống kê"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Mã số liệu thống kê")].value == "diem_bo_chi_so_766":
            row[header.index("Tỷ lệ (%)")].value = 91.5
    book.save(out)
    bundle = load_bundle(out)
    assert bundle.unit.profile == "phuong"
    assert [(s.statistic, s.percent) for s in bundle.statistics] == [("diem_bo_chi_so_766", D("91.5"))]
    leaf = Scorer(XA).score(bundle).leaf("3.6.1")
    assert leaf.points == D("1.83")  # 2 × 91,5 %


def test_results_of_the_2024_catalogue_keep_their_keys(scorer, full_bundle):
    data = scorer.score(bundle_from(full_bundle)).model_dump(mode="json", by_alias=True)
    assert set(data) == {"format", "catalogue", "unit", "year", "scope_agency", "totals", "areas", "criteria"}
    assert set(data["unit"]) == {"code", "name", "level"}
    assert "statistics" not in data["totals"] and "bonus" not in data["totals"]
    assert all("supplied_by" not in leaf for leaf in data["criteria"])
    assert all("deducted" not in area and "statistics_max" not in area for area in data["areas"])
    assert copy.deepcopy(data) == data
