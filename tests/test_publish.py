"""`par-score publish`: a province's sở and xã scored, ranked per cluster with their ratings and published in one go
(xep-hang.json, xep-hang.xlsx, the Quyết định công bố in PDF and HTML); all or nothing; `score` of one such batch."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from clirun import files_under, run_main

from par_score.io.resources import bundled_dir

EXAMPLE = bundled_dir("evidence") / "examples" / "minh-hoa-2026"
D = Decimal


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("cong-bo") / "ket-qua"
    ran = run_main("publish", str(EXAMPLE), "--out", str(out))
    assert ran.code == 0, ran.text
    return out, ran


def _cluster(data, index_id, cluster_id):
    index = next(i for i in data["indexes"] if i["catalogue"] == index_id)
    return next(c for c in index["clusters"] if c["id"] == cluster_id)


def _ranks(cluster):
    return [
        (u["unit"]["code"], u["rank"], u["index_pct"], u["rating"]["name"] if u["rating"] else None)
        for u in cluster["units"]
    ]


def test_every_unit_is_scored_into_its_index_folder(published):
    out, _ = published
    assert len(list((out / "so").glob("*/ket-qua.json"))) == 7
    assert len(list((out / "xa").glob("*/ket-qua.json"))) == 13
    assert {p.name for p in out.iterdir()} >= {"so", "xa", "xep-hang.json", "xep-hang.xlsx", "quyet-dinh-cong-bo.pdf"}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_so_ranking_per_cluster_with_shared_ranks_and_ratings(published):
    data = json.loads((published[0] / "xep-hang.json").read_text(encoding="utf-8"))
    assert data["format"] == "par-score/cluster-ranking@1"
    assert _ranks(_cluster(data, "chi-so-cchc-so-tham-chieu-2026", "khoi-co-quan-chuyen-mon")) == [
        ("so-tu-phap", 1, "98.9", "Tốt"),
        ("so-dan-toc-ton-giao", 2, "92.41", "Tốt"),
        ("so-xay-dung", 3, "90.89", "Tốt"),  # equal index: the same rank …
        ("so-y-te", 3, "90.89", "Tốt"),
        ("thanh-tra-tinh", 5, "90.43", "Tốt"),  # … and the next rank skips
        ("van-phong-ubnd-tinh", 6, "80", "Khá"),  # 80,00 % is not above 80 %
    ]
    assert _ranks(_cluster(data, "chi-so-cchc-so-tham-chieu-2026", "khoi-co-quan-khac")) == [
        ("ban-quan-ly-kkt", 1, "88.54", "Tốt")
    ]
    index = data["indexes"][0]
    assert [u["unit"]["code"] for u in index["overall"]["units"]][:2] == ["so-tu-phap", "so-dan-toc-ton-giao"]


def test_xa_clusters_follow_the_profiles(published):
    data = json.loads((published[0] / "xep-hang.json").read_text(encoding="utf-8"))
    xa = _cluster(data, "chi-so-cchc-xa-tham-chieu-2026", "khoi-xa")
    assert [(code, place) for code, place, *_ in _ranks(xa)] == [
        ("xa-an-phu", 1),
        ("xa-binh-thanh", 2),
        ("xa-tan-lap", 2),  # tied: listed by unit code
        ("xa-hoa-binh", 4),
        ("xa-long-hung", 5),
        ("xa-phuoc-vinh", 6),
        ("xa-thanh-duc", 7),
    ]
    assert _ranks(xa)[-1][3] == "Kém"  # 59,89 %
    phuong = _ranks(_cluster(data, "chi-so-cchc-xa-tham-chieu-2026", "khoi-phuong"))
    assert phuong[0] == ("phuong-minh-hoa", 1, "102.78", "Xuất sắc")  # above 100 by the bonus
    dac_khu = _cluster(data, "chi-so-cchc-xa-tham-chieu-2026", "dac-khu")
    bach_sa = next(u for u in dac_khu["units"] if u["unit"]["code"] == "dac-khu-bach-sa")
    assert bach_sa["index_max"] == "99"  # 8.4.7 không phát sinh, excluded from the maximum


def test_the_ranking_workbook_has_one_sheet_per_index(published):
    book = openpyxl.load_workbook(published[0] / "xep-hang.xlsx")
    assert book.sheetnames == ["Sở, ban, ngành", "Xã, phường, đặc khu"]
    values = [row for row in book["Sở, ban, ngành"].iter_rows(values_only=True) if row[1] == "so-y-te"]
    assert len(values) == 2  # its cluster, then the overall table
    assert (values[0][0], str(values[0][8]), values[0][9]) == (3, "90.89", "Tốt")


def test_the_decision_lists_every_unit_in_its_annexes(published):
    text = subprocess.run(
        ["pdftotext", "-layout", str(published[0] / "quyet-dinh-cong-bo.pdf"), "-"], capture_output=True, text=True
    ).stdout
    for words in (
        "QUYẾT ĐỊNH",
        "Số: 215/QĐ-UBND",
        "Phụ lục I",
        "Phụ lục II",
        "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA CÁC SỞ, BAN, NGÀNH TỈNH",
        "Văn phòng UBND tỉnh",
        "Đặc khu Bạch Sa",
        "102,78 %",
        "vượt 100 % do điểm thưởng",
        "danh mục tham chiếu",
    ):
        assert words in text, words
    html = (published[0] / "quyet-dinh-cong-bo.html").read_text(encoding="utf-8")
    assert "<script" not in html and "file://" not in html


def test_the_terminal_shows_each_cluster(published):
    out = published[1].out
    assert "Khối cơ quan chuyên môn thuộc UBND tỉnh:" in out and "Khối phường:" in out
    assert "Đã chấm 20 đơn vị" in out


def test_one_invalid_bundle_and_nothing_is_written(tmp_path):
    folder = tmp_path / "tinh"
    shutil.copytree(EXAMPLE, folder)
    head = folder / "xa" / "xa-tan-lap" / "ho-so.yaml"
    head.write_text(head.read_text(encoding="utf-8").replace("profile: xa", "profile: huyen"), encoding="utf-8")
    out = tmp_path / "out"
    ran = run_main("publish", str(folder), "--out", str(out))
    assert ran.code == 2
    assert "loại đơn vị 'huyen' không có trong danh mục" in ran.err
    assert files_under(out) == []


def test_outputs_are_refused_without_force(published):
    ran = run_main("publish", str(EXAMPLE), "--out", str(published[0]))
    assert ran.code == 2 and "--force" in ran.err


def test_a_single_batch_of_sở_is_ranked_by_clusters(tmp_path):
    out = tmp_path / "so"
    ran = run_main("score", str(EXAMPLE / "so"), "--out", str(out))
    assert ran.code == 0, ran.text
    data = json.loads((out / "xep-hang.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in data["indexes"][0]["clusters"]] == ["khoi-co-quan-chuyen-mon", "khoi-co-quan-khac"]
    assert (out / "xep-hang.xlsx").is_file()
    assert "Khối cơ quan chuyên môn thuộc UBND tỉnh:" in ran.out


def test_a_unit_without_its_survey_is_listed_unranked(tmp_path):
    folder = tmp_path / "so"
    shutil.copytree(EXAMPLE / "so", folder)
    part = folder / "so-y-te" / "so-noi-vu.yaml"
    text = part.read_text(encoding="utf-8")
    part.write_text(text[: text.index("survey:")], encoding="utf-8")
    out = tmp_path / "out"
    assert run_main("score", str(folder), "--out", str(out)).code == 0
    data = json.loads((out / "xep-hang.json").read_text(encoding="utf-8"))
    cluster = data["indexes"][0]["clusters"][0]
    last = cluster["units"][-1]
    assert (last["unit"]["code"], last["rank"], last["status"], last["rating"]) == ("so-y-te", None, "not_ranked", None)
    assert [u["rank"] for u in cluster["units"][:-1]] == [1, 2, 3, 4, 5]
