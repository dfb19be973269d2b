"""Many contributors: an indicator summed from the figures of many agencies and units, each kept with who gave it and
where it was read; documents co-signed by a lead and a co-responsible agency; the agency preview on its own; the
provenance of a merged bundle through the manifest and rerun, also after the folder moved."""

from __future__ import annotations

import copy
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from builders import full_marks, merge_paths, write_bundle
from clirun import run_main

from par_score.catalogue import load_catalogue
from par_score.errors import InputError
from par_score.evidence import load_bundle
from par_score.io.resources import bundled_dir
from par_score.outputs.excel.evidence_template import build_template
from par_score.outputs.terminal.tables import explain_leaf

SUMMED = "ty_le_ho_so_dung_han_cap_xa"  # 3.4.3, combine: sum; ≥ 98 % → 1; ≥ 95 % → 0,5
HEADER = {"format": "par-score/evidence@1"}
# Ten xã in three huyện: (huyện, xã, dossiers on time, dossiers resolved)
XA = [
    ("UBND huyện Tân Biên", "UBND xã Tân Lập", 410, 415),
    ("UBND huyện Tân Biên", "UBND xã Thạnh Bắc", 388, 390),
    ("UBND huyện Tân Biên", "UBND xã Hòa Hiệp", 502, 510),
    ("UBND huyện Tân Châu", "UBND xã Suối Ngô", 290, 300),
    ("UBND huyện Tân Châu", "UBND xã Tân Hòa", 333, 333),
    ("UBND huyện Tân Châu", "UBND xã Tân Đông", 418, 420),
    ("UBND huyện Bến Cầu", "UBND xã Long Thuận", 215, 220),
    ("UBND huyện Bến Cầu", "UBND xã Long Giang", 199, 200),
    ("UBND huyện Bến Cầu", "UBND xã Tiên Thuận", 640, 650),
    ("UBND huyện Bến Cầu", "UBND xã An Thạnh", 301, 305),
]
FILES = {"UBND huyện Tân Biên": "tan-bien.yaml", "UBND huyện Tân Châu": "tan-chau.yaml"}


@pytest.fixture
def campaign(tmp_path, catalogue):
    """The province's header part, two huyện's YAML parts and a third huyện's workbook, one figure per xã."""
    base = full_marks(catalogue)
    base["metrics"] = [m for m in base["metrics"] if m["indicator"] != SUMMED]
    base["catalogue"] = catalogue.id
    folder = tmp_path / "tay-ninh"
    folder.mkdir()
    parts = [write_bundle(base, folder / "tinh.yaml")]
    for huyen, name in FILES.items():
        rows = [
            {"indicator": SUMMED, "numerator": on_time, "denominator": total, "contributor": xa}
            for h, xa, on_time, total in XA
            if h == huyen
        ]
        parts.append(write_bundle({**HEADER, "contributor": huyen, "metrics": rows}, folder / name))
    template = tmp_path / "mau.xlsx"
    build_template(catalogue, "Văn phòng UBND tỉnh").save(template)
    wb = openpyxl.load_workbook(template)
    info = wb["Thông tin"]
    labels = {info.cell(row=r, column=1).value: r for r in range(2, info.max_row + 1)}
    for label, value in (
        ("Mã đơn vị", "thu-nghiem"),
        ("Tên đơn vị", "Tỉnh Thử Nghiệm"),
        ("Cơ quan, đơn vị nhập liệu", "UBND huyện Bến Cầu"),
    ):
        info.cell(row=labels[label], column=2).value = value
    ws = wb["Số liệu"]
    cols = {c.value: c.column for c in ws[1]}
    first = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=cols["Mã chỉ số"]).value == SUMMED)
    free = ws.max_row + 1
    for offset, (_, xa, on_time, total) in enumerate(x for x in XA if x[0] == "UBND huyện Bến Cầu"):
        row = first if offset == 0 else free + offset
        for header, value in (("Mã chỉ số", SUMMED), ("Tử số", on_time), ("Mẫu số", total), ("Đơn vị đóng góp", xa)):
            ws.cell(row=row, column=cols[header]).value = value
    wb.save(folder / "ben-cau.xlsx")
    parts.append(folder / "ben-cau.xlsx")
    return tmp_path, parts


def merged_run(tmp_path: Path, parts: list[Path]) -> Path:
    out = tmp_path / "tay-ninh.yaml"
    ran = run_main("merge", *map(str, parts), "--out", str(out))
    assert ran.code == 0, ran.err
    return out


def test_figures_of_ten_units_from_three_agencies_are_summed_with_who_gave_each(campaign, scorer):
    tmp_path, parts = campaign
    out = merged_run(tmp_path, parts)
    result = scorer.score(load_bundle(out))
    leaf = result.leaf("3.4.3")
    on_time, total = sum(x[2] for x in XA), sum(x[3] for x in XA)
    assert leaf.inputs[0].value == f"{on_time}/{total}"
    assert leaf.inputs[0].display.startswith("tổng 10 đóng góp: 3.696/3.743")
    assert leaf.points == 1  # 98,74 % of the summed dossiers, though Suối Ngô alone is at 96,67 %
    assert [c.contributor for c in leaf.contributions] == [x[1] for x in XA]
    by_xa = {c.contributor: c for c in leaf.contributions}
    assert by_xa["UBND xã Tân Lập"].where == "tay-ninh/tan-bien.yaml, metrics #1"
    assert by_xa["UBND xã Long Thuận"].where.startswith("tay-ninh/ben-cau.xlsx, Sheet 'Số liệu', dòng ")
    text = explain_leaf(result, leaf)
    assert (
        "Đóng góp (10):" in text and "  - UBND xã Tân Hòa: 333/333 = 100 % — tay-ninh/tan-chau.yaml, metrics #2" in text
    )


def test_a_revised_part_sent_twice_is_refused_naming_both_files(campaign, catalogue):
    tmp_path, parts = campaign
    revised = tmp_path / "tay-ninh" / "tan-bien-sua.yaml"
    data = yaml.safe_load(parts[1].read_text(encoding="utf-8"))
    data["metrics"][0]["numerator"] = 412
    write_bundle(data, revised)
    with pytest.raises(InputError) as caught:
        merge_paths([*parts, revised], tmp_path, catalogue.combine_policies())
    (problem,) = [p.render() for p in caught.value.problems]
    assert problem.startswith(
        f"chỉ số '{SUMMED}' (cộng dồn từ nhiều đơn vị) có hai số liệu khác nhau của 'UBND xã Tân Lập' (khác ở: tử số)"
    )
    assert str(parts[1]) in problem and str(revised) in problem and "bản sửa được gửi hai lần" in problem


@pytest.mark.parametrize(
    "second, words",
    [
        ({"numerator": 5, "denominator": 5}, "mỗi số liệu cộng dồn cần ghi đơn vị đóng góp (contributor)"),
        ({"numerator": 5, "denominator": 5, "contributor": "ubnd  xã A"}, "'ubnd  xã A' đã có số liệu cho chỉ số"),
        ({"percent": 99, "contributor": "UBND xã B"}, "không nhập tỷ lệ (%) (percent)"),
    ],
)
def test_summed_figures_need_their_own_contributor_and_a_numerator(scorer, catalogue, tmp_path, second, words):
    data = full_marks(catalogue)
    data["metrics"] = [m for m in data["metrics"] if m["indicator"] != SUMMED]
    data["metrics"] += [
        {"indicator": SUMMED, "numerator": 10, "denominator": 10, "contributor": "UBND xã A"},
        {"indicator": SUMMED, **second},
    ]
    with pytest.raises(InputError) as caught:
        scorer.score(load_bundle(write_bundle(data, tmp_path / "b.yaml")))
    assert any(words in p.render() for p in caught.value.problems), caught.value.render()


def test_an_indicator_taking_one_figure_refuses_a_second_naming_the_first(scorer, catalogue, tmp_path):
    data = full_marks(catalogue)
    data["metrics"].append({"indicator": "ty_le_hoan_thanh_ke_hoach_cchc", "numerator": 1, "denominator": 1})
    with pytest.raises(InputError) as caught:
        scorer.score(load_bundle(write_bundle(data, tmp_path / "b.yaml")))
    assert "đã có số liệu ở bản ghi trước (b.yaml, metrics #1); danh mục chỉ nhận một số liệu" in caught.value.render()


# ---- documents from each responsible agency -----------------------------------------------------------------------
@pytest.fixture
def all_of(tmp_path):
    """The reference catalogue with 3.3.5 (quy chế liên thông) needing a document from VP UBND and Sở Tư pháp."""
    raw = yaml.safe_load((bundled_dir("criteria") / "par-tinh-tham-chieu-2024.yaml").read_text(encoding="utf-8"))
    area = next(a for a in raw["areas"] if a["code"] == "3")
    leaf = next(i for c in area["criteria"] for i in c.get("items") or [] if i["code"] == "3.3.5")
    leaf["input"]["combine"] = "all_of"
    leaf["co_agencies"] = ["Sở Tư pháp"]
    path = tmp_path / "all-of.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_catalogue(path)


def test_a_co_signed_document_counts_for_each_agency_that_sent_it(tmp_path, all_of):
    from par_score.scoring.scorer import Scorer

    data = full_marks(all_of)
    doc = next(d for d in data["documents"] if "quy_che_lien_thong_tthc" in d["topics"])
    data["documents"] = [d for d in data["documents"] if d is not doc]
    vp = write_bundle({**HEADER, "contributor": "Văn phòng UBND tỉnh", "documents": [doc]}, tmp_path / "vp.yaml")
    stp = write_bundle({**HEADER, "contributor": "Sở Tư pháp", "documents": [doc]}, tmp_path / "stp.yaml")
    head = write_bundle(data, tmp_path / "tinh.yaml")
    scorer = Scorer(all_of)
    alone = scorer.score(merge_paths([head, vp], tmp_path, all_of.combine_policies()).bundle).leaf("3.3.5")
    assert alone.status == "missing_evidence"
    assert alone.inputs[0].label == "văn bản còn thiếu của" and alone.inputs[0].value == "Sở Tư pháp"
    merged = merge_paths([head, vp, stp], tmp_path, all_of.combine_policies())
    assert merged.duplicates == 1 and merged.part.documents[-1].contributors == ["Văn phòng UBND tỉnh", "Sở Tư pháp"]
    assert scorer.score(merged.bundle).leaf("3.3.5").status == "full"


def test_all_of_is_for_document_kinds_and_sum_for_indicator_kinds(tmp_path):
    raw = yaml.safe_load((bundled_dir("criteria") / "par-tinh-tham-chieu-2024.yaml").read_text(encoding="utf-8"))
    area = next(a for a in raw["areas"] if a["code"] == "8")
    leaf = next(i for c in area["criteria"] for i in c.get("items") or [] if i["code"] == "8.3.5")
    leaf["input"]["combine"] = "sum"  # value_bands (PCI change): one figure only
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    from par_score.errors import CatalogueError

    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert "không dùng được combine: sum" in caught.value.render()


# ---- the agency preview on its own --------------------------------------------------------------------------------
def test_an_agency_part_previews_on_its_own_with_references_and_next_bands(tmp_path, scorer, catalogue):
    data = full_marks(catalogue)
    part = {
        **HEADER,
        "unit": data["unit"],
        "year": data["year"],
        "contributor": "Sở Tư pháp",
        "documents": [
            d for d in data["documents"] if set(d["topics"]) & {"ke_hoach_ra_soat_vbqppl", "ke_hoach_theo_doi_thpl"}
        ],
        "metrics": [
            {
                "indicator": "ty_le_vbqppl_ban_hanh_dung_ke_hoach",
                "numerator": 85,
                "denominator": 100,
                "documents": ["bc-cchc-nam-2024"],
            },
            {"indicator": "ty_le_van_ban_quy_dinh_chi_tiet_ban_hanh_kip_thoi", "numerator": 12, "denominator": 12},
        ],
    }
    path = write_bundle(part, tmp_path / "so-tu-phap.yaml")
    whole = run_main("score", str(path), "--out", str(tmp_path / "kq"))
    assert whole.code == 2 and "văn bản 'bc-cchc-nam-2024' không có trong phần documents" in whole.err
    ran = run_main("score", str(path), "--agency", "Sở Tư pháp", "--out", str(tmp_path / "kq"))
    assert ran.code == 0, ran.err
    assert "Văn bản do cơ quan khác cung cấp (1): bc-cchc-nam-2024 — tham chiếu" in ran.out
    assert "  - 2.1.1: cần tỷ lệ ≥ 100 % (hiện 85 %) → 1/1 điểm (thêm 0,5)" in ran.out
    saved = json.loads((tmp_path / "kq" / "ket-qua.json").read_text(encoding="utf-8"))
    leaf = next(c for c in saved["criteria"] if c["code"] == "2.1.1")
    assert leaf["next_band"] == {
        "band": "2.1.1/muc-1",
        "label": "Tỷ lệ ≥ 100 %: điểm tối đa",
        "condition": "tỷ lệ ≥ 100 % (hiện 85 %)",
        "points": "1",
        "gain": "0.5",
    }
    assert leaf["contributions"][0]["contributor"] == "Sở Tư pháp"
    assert "Các tiêu chí do cơ quan chủ trì" in ran.out and "7.4.3" in ran.out


def test_the_next_band_of_a_deduction_is_taken_at_its_threshold(scorer, catalogue):
    from conftest import bundle_from

    data = full_marks(catalogue)
    for metric in data["metrics"]:
        if metric["indicator"] == "so_vu_vi_pham_ky_luat_ky_cuong_hanh_chinh":  # 5.6.2: 1 − 0,25 × count
            metric["value"] = 9
    leaf = scorer.score(bundle_from(data), agency="Sở Nội vụ").leaf("5.6.2")
    assert (leaf.points, leaf.next_band.band, leaf.next_band.points, leaf.next_band.gain) == (
        0,
        "5.6.2/tru-diem",
        Decimal("0.25"),
        Decimal("0.25"),
    )
    assert leaf.next_band.condition == "số lượng < 4 (hiện 9)"
    assert "next_band" not in json.loads(scorer.score(bundle_from(data)).to_json())["criteria"][0]


# ---- provenance ---------------------------------------------------------------------------------------------------
def test_the_manifest_records_every_part_and_rerun_names_the_revised_one(campaign):
    tmp_path, parts = campaign
    out = merged_run(tmp_path, parts)
    merged = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [(p["path"], p.get("contributor")) for p in merged["parts"]] == [
        ("tay-ninh/tinh.yaml", None),
        ("tay-ninh/tan-bien.yaml", "UBND huyện Tân Biên"),
        ("tay-ninh/tan-chau.yaml", "UBND huyện Tân Châu"),
        ("tay-ninh/ben-cau.xlsx", "UBND huyện Bến Cầu"),
    ]
    assert run_main("score", str(out), "--out", str(tmp_path / "kq")).code == 0
    manifest = json.loads((tmp_path / "kq" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bundle"]["path"] == "../tay-ninh.yaml" and manifest["bundle"]["root"] == ".."
    entries = {e["path"]: e for e in manifest["evidence"]}
    assert entries["tay-ninh/tan-chau.yaml"]["kind"] == "part"
    assert entries["tay-ninh/tan-chau.yaml"]["contributor"] == "UBND huyện Tân Châu"
    assert "contributor" not in entries["tay-ninh.yaml"]

    data = yaml.safe_load(parts[2].read_text(encoding="utf-8"))
    data["metrics"][0]["numerator"] = 280  # Tân Châu sends a revised figure after the merge
    write_bundle(data, parts[2])
    ran = run_main("rerun", str(tmp_path / "kq" / "manifest.json"))
    assert ran.code == 1
    assert "phần đã hợp nhất của UBND huyện Tân Châu 'tay-ninh/tan-chau.yaml': ĐÃ THAY ĐỔI" in ran.out
    assert "hãy chạy lại 'par-score merge'" in ran.out
    again = run_main("score", str(out), "--out", str(tmp_path / "kq2"))
    assert "phần của UBND huyện Tân Châu 'tay-ninh/tan-chau.yaml' đã thay đổi sau khi hợp nhất" in again.out


def test_rerun_after_the_folder_moved_to_another_machine(campaign):
    tmp_path, parts = campaign
    out = merged_run(tmp_path, parts)
    (tmp_path / "tay-ninh" / "files").mkdir()
    assert run_main("report", str(out), "--out", str(tmp_path / "kq"), "--format", "html").code == 0
    moved = tmp_path.parent / f"{tmp_path.name}-may-khac"
    shutil.copytree(tmp_path, moved)
    shutil.rmtree(tmp_path)
    manifest = moved / "kq" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["catalogue"]["path"] = "../../cai-dat-khac/criteria/par-tinh-tham-chieu-2024.yaml"  # installed elsewhere
    manifest.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ran = run_main("rerun", str(manifest))
    assert ran.code == 0, ran.out + ran.err
    assert "khớp mã băm sha256 đã ghi" in ran.out and "giống hệt ket-qua.json" in ran.out


def test_old_manifests_with_absolute_paths_still_rerun(tmp_path, catalogue):
    data = full_marks(catalogue)
    bundle = write_bundle(data, tmp_path / "b.yaml")
    assert run_main("score", str(bundle), "--out", str(tmp_path / "kq")).code == 0
    manifest = tmp_path / "kq" / "manifest.json"
    raw = json.loads(manifest.read_text(encoding="utf-8"))
    raw["bundle"]["path"], raw["bundle"]["root"] = str(bundle.resolve()), str(tmp_path.resolve())
    raw["catalogue"]["path"] = str((tmp_path / "kq" / raw["catalogue"]["path"]).resolve())
    manifest.write_text(json.dumps(copy.deepcopy(raw), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert run_main("rerun", str(manifest)).code == 0
