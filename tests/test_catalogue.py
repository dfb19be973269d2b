"""The catalogue is data: it loads, adds up to its declared totals, and is refused when it does not."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from par_score.catalogue import load_catalogue
from par_score.errors import CatalogueError
from par_score.io.resources import bundled_dir

REFERENCE = bundled_dir("criteria") / "par-tinh-tham-chieu-2024.yaml"


def test_reference_catalogue_has_91_leaves_62_self_and_38_survey(catalogue):
    leaves = catalogue.leaves
    self_leaves = [e for e in leaves if e.leaf.source == "self"]
    survey_leaves = [e for e in leaves if e.leaf.source == "survey"]
    assert len(leaves) == 91
    assert len(self_leaves) == 82 and sum(e.leaf.max for e in self_leaves) == 62
    assert len(survey_leaves) == 9 and sum(e.leaf.max for e in survey_leaves) == 38
    assert sorted(e.code for e in survey_leaves) == ["1.7", "2.6", "3.8", "4.5", "5.8", "6.5", "7.6", "8.1", "8.2"]


def test_reference_catalogue_says_it_is_not_the_official_annex(catalogue):
    meta = catalogue.catalogue
    assert meta.kind == "reference"
    assert "không phải" in meta.notice.lower() or "KHÔNG phải" in meta.notice
    assert meta.legal_basis and meta.evaluation_year == 2024


@pytest.mark.parametrize(
    "area, self_max, survey_max",
    [
        ("1", 7, 2),
        ("2", 6, "3.5"),
        ("3", 12, "3.5"),
        ("4", 6, 3),
        ("5", 8, "3.5"),
        ("6", 7, "2.5"),
        ("7", 11, 4),
        ("8", 5, 16),
    ],
)
def test_area_totals_match_the_reference_table(catalogue, area, self_max, survey_max):
    leaves = [e.leaf for e in catalogue.leaves if e.area.code == area]
    assert sum(leaf.max for leaf in leaves if leaf.source == "self") == Decimal(str(self_max))
    assert sum(leaf.max for leaf in leaves if leaf.source == "survey") == Decimal(str(survey_max))


def test_every_text_is_nfc_and_codes_are_unique(catalogue):
    text = REFERENCE.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    codes = [e.code for e in catalogue.leaves]
    assert len(codes) == len(set(codes))


def _edited(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "sua.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _refused(path: Path) -> str:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    return caught.value.render()


def test_a_leaf_changed_without_its_totals_is_refused_naming_area_and_total(tmp_path):
    def edit(data):
        data["areas"][0]["criteria"][0]["items"][0]["max"] = 0.75

    message = _refused(_edited(tmp_path, edit))
    assert "sua.yaml" in message
    assert "lĩnh vực 1" in message and "declared_totals.self" in message
    assert "danh mục" in message  # the catalogue-wide total is wrong too


def test_declared_totals_that_do_not_add_up_are_refused(tmp_path):
    def edit(data):
        data["declared_totals"]["all"] = 99

    message = _refused(_edited(tmp_path, edit))
    assert "declared_totals.all" in message and "99" in message


def test_duplicate_codes_are_refused(tmp_path):
    def edit(data):
        items = data["areas"][0]["criteria"][0]["items"]
        items[1]["code"] = items[0]["code"]

    message = _refused(_edited(tmp_path, edit))
    assert "1.1.1" in message and "duy nhất" in message


def test_a_scale_that_does_not_fit_its_input_is_refused(tmp_path):
    def edit(data):
        data["areas"][0]["criteria"][0]["items"][1]["scale"] = {
            "type": "deadline",
            "bands": [{"by": "01-31", "fraction": 1}],
        }

    message = _refused(_edited(tmp_path, edit))
    assert "deadline" in message and "document" in message


def test_unknown_fields_are_refused_with_their_location(tmp_path):
    def edit(data):
        data["areas"][0]["criteria"][0]["items"][1]["diem"] = 1

    message = _refused(_edited(tmp_path, edit))
    assert "items #2 (code: 1.1.2)" in message
    assert "'diem'" in message and "không được phép" in message


def test_bands_must_be_in_decreasing_order_of_points(tmp_path):
    def edit(data):
        leaf = data["areas"][0]["criteria"][0]["items"][1]
        leaf["scale"]["bands"] = [{"min": 0.8, "fraction": 0.5}, {"min": 1, "fraction": 1}]

    assert "giảm dần" in _refused(_edited(tmp_path, edit))


def test_unknown_catalogue_id_lists_the_bundled_ones():
    with pytest.raises(CatalogueError) as caught:
        load_catalogue("khong-co-danh-muc-nay")
    assert "par-tinh-tham-chieu-2024" in caught.value.render()


NEXT_YEAR = """
format: par-score/catalogue@1
id: bo-chi-so-so-2025
version: "2025.1"
title: "Bộ chỉ số CCHC cấp sở năm 2025 (ví dụ)"
kind: official
legal_basis: ["Quyết định số 99/QĐ-UBND ngày 15/3/2025 của UBND tỉnh"]
evaluation_year: 2025
unit_level: so
declared_totals: {self: 3, survey: 2, all: 5}
areas:
  - code: "1"
    name: "Công tác chỉ đạo, điều hành"
    agency: "Sở Nội vụ"
    declared_totals: {self: 3, survey: 2, all: 5}
    criteria:
      - code: "1.1"
        name: "Kế hoạch"
        items:
          - {code: "1.1.1", name: "Tỷ lệ hoàn thành kế hoạch", max: 2, source: self,
             input: {indicator: ty_le_hoan_thanh}, scale: {type: proportional}, not_applicable: none}
          - {code: "1.1.2", name: "Ban hành kế hoạch", max: 1, source: self,
             input: {document: ke_hoach}, scale: {type: deadline, bands: [{by: "02-15", fraction: 1}]}, not_applicable: none}
      - {code: "1.2", name: "Hài lòng", max: 2, source: survey, input: {survey: "1.2"}, scale: {type: survey}}
"""


def test_a_new_years_catalogue_loads_and_scores_without_code_change(tmp_path):
    from par_score.evidence.load import load_bundle
    from par_score.scoring.scorer import Scorer

    path = tmp_path / "bo-chi-so-so-2025.yaml"
    path.write_text(NEXT_YEAR, encoding="utf-8")
    index = load_catalogue(path)
    assert [e.code for e in index.leaves] == ["1.1.1", "1.1.2", "1.2"]
    bundle = tmp_path / "so.yaml"
    bundle.write_text(
        """
unit: {code: so-tu-phap, name: "Sở Tư pháp", level: so}
year: 2025
documents:
  - {id: kh, kind: ke_hoach, number: "5/KH-STP", issuer: "Sở Tư pháp", issue_date: 2025-02-20, title: "Kế hoạch", topics: [ke_hoach]}
metrics:
  - {indicator: ty_le_hoan_thanh, numerator: 2, denominator: 3}
survey:
  - {item: "1.2", answers: {A: 3, B: 1, C: 0, D: 1}}
""",
        encoding="utf-8",
    )
    result = Scorer(index).score(load_bundle(bundle))
    points = {c.code: c.points for c in result.criteria}
    assert points["1.1.1"] == Decimal("1.33")  # 2 × 2/3, half up
    assert points["1.1.2"] == 0  # 20/02 is after 15/02
    assert points["1.2"] == Decimal("1.44")  # 2 × (3×1 + 0,6) / 5 = 2 × 0,72
    assert result.totals.index_points == Decimal("2.77") and result.totals.index_estimated


def test_periodic_fractions_stay_within_0_and_1_and_late_earns_no_more_than_on_time(tmp_path):
    def edit(data):
        data["areas"][0]["criteria"][1]["items"][0]["scale"]["late_fraction"] = 2

    message = _refused(_edited(tmp_path, edit))
    assert "late_fraction" in message and "1.2.1" in message


@pytest.mark.parametrize("where", ["deadline", "period"])
def test_an_impossible_date_in_the_catalogue_is_refused_on_load(tmp_path, where):
    def edit(data):
        if where == "deadline":
            data["areas"][0]["criteria"][0]["items"][0]["scale"]["bands"][0]["by"] = "02-30"
        else:
            data["areas"][0]["criteria"][1]["items"][0]["scale"]["periods"][0]["due"] = "02-29"

    message = _refused(_edited(tmp_path, edit))
    assert "không có trong mọi năm" in message and "sua.yaml" in message


def test_catalogue_numbers_the_engine_cannot_represent_exactly_are_refused(tmp_path):
    def edit(data):
        leaf = data["areas"][7]["criteria"][2]["items"][4]  # 8.3.5, value bands
        leaf["scale"]["bands"][0] = {"min": 2000000000, "fraction": 1}

    message = _refused(_edited(tmp_path, edit))
    assert "8.3.5" in message and "min" in message


def test_the_evidence_window_is_catalogue_data(tmp_path):
    import datetime as dt

    from builders import full_marks
    from conftest import bundle_from

    from par_score.errors import InputError
    from par_score.scoring.scorer import Scorer

    def edit(data):
        data["evidence_window"] = {"start": "01-01", "start_year_offset": 0, "plan_lead_days": 400}

    strict = load_catalogue(_edited(tmp_path, edit))
    bundle = full_marks(strict)
    quota = next(d for d in bundle["documents"] if "quyet_dinh_phan_cap" in d["topics"])
    quota["issue_date"] = dt.date(2023, 12, 20)  # accepted by the reference window, not by this catalogue's
    Scorer(load_catalogue()).score(bundle_from(bundle))
    with pytest.raises(InputError) as caught:
        Scorer(strict).score(bundle_from(bundle))
    assert "01/01/2024" in caught.value.render() and "issue_date" in caught.value.render()
