"""The composite scale kind (par_score.scales.composite): criteria decided from several indicators together — all_of,
min_of, weighted — scored as the worked examples of the sở catalogue (NOTES §2.6), explained part by part."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from conftest import bundle_from

from par_score.catalogue import load_catalogue
from par_score.errors import CatalogueError, InputError
from par_score.scoring.scorer import Scorer

D = Decimal

ALL_OF = {
    "code": "7.1",
    "name": "TTHC có hồ sơ trực tuyến và hồ sơ nộp trực tuyến",
    "max": 2.5,
    "source": "self",
    "scale": {
        "type": "composite",
        "combine": "all_of",
        "parts": [
            {"id": "tthc", "label": "TTHC có hồ sơ trực tuyến", "input": {"indicator": "ty_le_tthc"}},
            {"id": "ho_so", "label": "hồ sơ nộp trực tuyến", "input": {"indicator": "ty_le_ho_so"}},
        ],
        "bands": [
            {"fraction": 1, "when": {"tthc": {"min": 0.5}, "ho_so": {"min": 0.5}}},
            {"fraction": 0.5, "when": {"tthc": {"min": 0.3}, "ho_so": {"min": 0.3}}},
        ],
    },
    "not_applicable": "exclude",
}
MIN_OF = {
    "code": "7.2",
    "name": "Thanh toán trực tuyến",
    "max": 2,
    "source": "self",
    "scale": {
        "type": "composite",
        "combine": "min_of",
        "parts": [
            {
                "id": "tthc",
                "label": "TTHC triển khai thanh toán trực tuyến",
                "input": {"indicator": "ty_le_tthc_thanh_toan"},
                "scale": {"type": "ratio_bands", "bands": [{"min": 0.9, "fraction": 1}, {"min": 0.8, "fraction": 0.5}]},
            },
            {
                "id": "ho_so",
                "label": "hồ sơ thanh toán trực tuyến",
                "input": {"indicator": "ty_le_ho_so_thanh_toan"},
                "scale": {
                    "type": "ratio_bands",
                    "bands": [{"min": 0.35, "fraction": 1}, {"min": 0.3, "fraction": 0.5}],
                },
            },
        ],
    },
}
WEIGHTED = {
    "code": "7.3",
    "name": "Số hóa hồ sơ và kết quả",
    "max": 2,
    "source": "self",
    "scale": {
        "type": "composite",
        "combine": "weighted",
        "parts": [
            {
                "id": "ho_so",
                "label": "hồ sơ số hóa khi tiếp nhận",
                "weight": 0.5,
                "input": {"indicator": "ty_le_so_hoa"},
                "scale": {"type": "ratio_bands", "bands": [{"min": 1, "fraction": 1}, {"min": 0.8, "fraction": 0.5}]},
            },
            {
                "id": "ket_qua",
                "label": "kết quả điện tử",
                "weight": 0.5,
                "input": {"indicator": "ty_le_ket_qua"},
                "scale": {"type": "proportional"},
            },
        ],
    },
}


def catalogue_file(folder, *criteria) -> object:
    total = sum(D(str(c["max"])) for c in criteria)
    data = {
        "format": "par-score/catalogue@1",
        "id": "thu-composite",
        "version": "1",
        "title": "Danh mục thử tiêu chí hợp thành",
        "kind": "reference",
        "legal_basis": ["Dùng cho kiểm thử"],
        "evaluation_year": 2026,
        "unit_level": "so",
        "declared_totals": {"self": str(total), "survey": 0, "all": str(total)},
        "areas": [
            {
                "code": "7",
                "name": "Chính quyền số",
                "agency": "Sở Khoa học và Công nghệ",
                "declared_totals": {"self": str(total), "survey": 0, "all": str(total)},
                "criteria": list(criteria),
            }
        ],
    }
    path = folder / "cat.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scorer(tmp_path_factory):
    return Scorer(load_catalogue(catalogue_file(tmp_path_factory.mktemp("c"), ALL_OF, MIN_OF, WEIGHTED)))


def score(scorer, metrics, **extra):
    data = {
        "format": "par-score/evidence@1",
        "unit": {"code": "so-thu", "name": "Sở Thử", "level": "so"},
        "year": 2026,
        "metrics": metrics,
        **extra,
    }
    return scorer.score(bundle_from(data))


def ratio(indicator, numerator, denominator):
    return {"indicator": indicator, "numerator": numerator, "denominator": denominator}


FULL = [
    ratio("ty_le_tthc_thanh_toan", 1, 1),
    ratio("ty_le_ho_so_thanh_toan", 1, 1),
    ratio("ty_le_so_hoa", 1, 1),
    ratio("ty_le_ket_qua", 1, 1),
]


# ---- all_of (7.3.2 of the sở catalogue) ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "tthc, ho_so, points, level",
    [
        ((31, 50), (4100, 10000), "1.25", "Mức 2"),  # the worked example: ho_so 41 % < 50 %
        ((50, 100), (50, 100), "2.5", "Mức 1"),  # exactly 50 % each: "≥" holds
        ((29, 100), (90, 100), "0", "Không đạt"),  # one part below every band
        ((30, 100), (30, 100), "1.25", "Mức 2"),
        ((100, 100), (2999, 10000), "0", "Không đạt"),
    ],
)
def test_all_of_needs_every_part_to_meet_the_band(scorer, tthc, ho_so, points, level):
    metrics = [ratio("ty_le_tthc", *tthc), ratio("ty_le_ho_so", *ho_so), *FULL]
    leaf = score(scorer, metrics).leaf("7.1")
    assert leaf.points == D(points)
    assert leaf.rule.label.startswith(level)


def test_all_of_explains_the_failed_part_of_each_better_band(scorer):
    metrics = [ratio("ty_le_tthc", 31, 50), ratio("ty_le_ho_so", 4100, 10000), *FULL]
    leaf = score(scorer, metrics).leaf("7.1")
    assert [(f.band, f.condition, f.actual_display) for f in leaf.failed_conditions] == [
        ("7.1/muc-1", "tỷ lệ hồ sơ nộp trực tuyến ≥ 50 %", "41 %")
    ]
    assert [i.label for i in leaf.inputs] == ["tỷ lệ TTHC có hồ sơ trực tuyến", "tỷ lệ hồ sơ nộp trực tuyến"]
    assert (
        leaf.rule.label
        == "Mức 2: tỷ lệ TTHC có hồ sơ trực tuyến ≥ 30 % và tỷ lệ hồ sơ nộp trực tuyến ≥ 30 %: 50 % điểm tối đa"
    )


def test_a_missing_part_leaves_the_criterion_without_evidence(scorer):
    leaf = score(scorer, [ratio("ty_le_tthc", 31, 50), *FULL]).leaf("7.1")
    assert leaf.status == "missing_evidence" and leaf.points == 0
    assert [(i.label, i.display) for i in leaf.inputs][-1] == ("hồ sơ nộp trực tuyến", "chưa có số liệu")


def test_not_applicable_is_declared_for_the_whole_criterion(scorer):
    result = score(
        scorer, FULL, not_applicable=[{"criterion": "7.1", "reason": "Năm 2026 cơ quan không tiếp nhận hồ sơ."}]
    )
    assert result.leaf("7.1").status == "not_applicable_excluded"
    assert result.totals.self_.max == D(4)


# ---- min_of (7.3.3) ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "tthc, ho_so, points",
    [((46, 50), (31, 100), "1"), ((46, 50), (35, 100), "2"), ((79, 100), (35, 100), "0"), ((85, 100), (29, 100), "0")],
)
def test_min_of_takes_the_lower_part(scorer, tthc, ho_so, points):
    metrics = [ratio("ty_le_tthc", 1, 1), ratio("ty_le_ho_so", 1, 1), *FULL[2:]]
    metrics += [ratio("ty_le_tthc_thanh_toan", *tthc), ratio("ty_le_ho_so_thanh_toan", *ho_so)]
    leaf = score(scorer, metrics).leaf("7.2")
    assert leaf.points == D(points)


def test_min_of_explains_each_part_short_of_its_top_band(scorer):
    metrics = [ratio("ty_le_tthc", 1, 1), ratio("ty_le_ho_so", 1, 1), *FULL[2:]]
    metrics += [ratio("ty_le_tthc_thanh_toan", 46, 50), ratio("ty_le_ho_so_thanh_toan", 31, 100)]
    leaf = score(scorer, metrics).leaf("7.2")
    assert [f.condition for f in leaf.failed_conditions] == ["tỷ lệ hồ sơ thanh toán trực tuyến ≥ 35 %"]


# ---- weighted (7.4.1), with a proportional part --------------------------------------------------------------------
@pytest.mark.parametrize(
    "so_hoa, ket_qua, points",
    [
        ((85, 100), (100, 100), "1.5"),  # 0,5 × 0,5 × 2 + 0,5 × 1 × 2
        ((79, 100), (100, 100), "1"),
        ((80, 100), (0, 100), "0.5"),
        ((100, 100), (333, 1000), "1.33"),  # 1 + 1 × 0,333 = 1,333 → 1,33 (the part rounds half up to 0,01)
    ],
)
def test_weighted_adds_the_parts_on_their_share_of_the_maximum(scorer, so_hoa, ket_qua, points):
    metrics = [ratio("ty_le_tthc", 1, 1), ratio("ty_le_ho_so", 1, 1), *FULL[:2]]
    metrics += [ratio("ty_le_so_hoa", *so_hoa), ratio("ty_le_ket_qua", *ket_qua)]
    assert score(scorer, metrics).leaf("7.3").points == D(points)


def test_a_part_figure_is_checked_by_its_own_kind(scorer):
    metrics = [ratio("ty_le_tthc", 60, 50), ratio("ty_le_ho_so", 1, 1), *FULL]
    with pytest.raises(InputError) as caught:
        score(scorer, metrics)
    assert "tử số (60) lớn hơn mẫu số (50)" in str(caught.value.problems)


# ---- declarations refused on load ----------------------------------------------------------------------------------
def _refused(tmp_path, criterion) -> str:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(catalogue_file(tmp_path, criterion))
    return " ".join(p.message for p in caught.value.problems)


def test_weights_must_add_up_to_one(tmp_path):
    bad = {**WEIGHTED, "scale": {**WEIGHTED["scale"], "parts": [dict(p) for p in WEIGHTED["scale"]["parts"]]}}
    bad["scale"]["parts"][1]["weight"] = 0.4
    assert "tổng trọng số" in _refused(tmp_path, bad)


def test_an_all_of_band_names_every_part(tmp_path):
    bands = [{"fraction": 1, "when": {"tthc": {"min": 0.5}}}]
    assert "'when' phải nêu ngưỡng" in _refused(tmp_path, {**ALL_OF, "scale": {**ALL_OF["scale"], "bands": bands}})


def test_a_composite_criterion_has_no_input_of_its_own(tmp_path):
    assert "không có input riêng" in _refused(tmp_path, {**MIN_OF, "input": {"indicator": "x"}})


def test_a_part_scale_must_read_its_input(tmp_path):
    parts = [dict(p) for p in MIN_OF["scale"]["parts"]]
    parts[0]["scale"] = {"type": "binary"}
    assert "không đọc được đầu vào" in _refused(tmp_path, {**MIN_OF, "scale": {**MIN_OF["scale"], "parts": parts}})


def test_a_survey_cannot_be_a_part(tmp_path):
    parts = [dict(p) for p in MIN_OF["scale"]["parts"]]
    parts[0]["scale"] = {"type": "survey"}
    assert "thang điểm của thành phần phải là một trong" in _refused(
        tmp_path, {**MIN_OF, "scale": {**MIN_OF["scale"], "parts": parts}}
    )


# ---- planning --------------------------------------------------------------------------------------------------------
def test_the_plan_moves_each_failing_part_into_the_better_band(scorer):
    import datetime as dt

    from par_score.scales import KINDS, Found, Horizon, Standing
    from par_score.scoring.facts import build_facts, found_evidence

    metrics = [ratio("ty_le_tthc", 31, 100), ratio("ty_le_ho_so", 29, 100), *FULL]
    bundle = bundle_from(
        {
            "format": "par-score/evidence@1",
            "unit": {"code": "so-thu", "name": "Sở Thử", "level": "so"},
            "year": 2026,
            "metrics": metrics,
        }
    )
    index = scorer.index
    entry = index.by_code["7.1"]
    facts = build_facts(index, bundle)[0]
    found: Found = found_evidence(index, bundle)["7.1"]
    standing = Standing("7.1", entry.leaf.max, entry.leaf.scale, None, facts, found, D(0))
    horizon = Horizon(2026, dt.date(2026, 10, 1), dt.date(2025, 1, 1), dt.date(2027, 3, 31), 183)
    proposals = KINDS["composite"].plan(standing, horizon)
    assert [(p.points, [(c.part, c.after.numerator) for c in p.changes]) for p in proposals] == [
        (D("2.5"), [("tthc", D(50)), ("ho_so", D(50))]),  # both parts to 50 %
        (D("1.25"), [("ho_so", D(30))]),  # only the part below 30 % moves
    ]
