"""One round of errors: a record that fails validation is left out and reported TOGETHER with the checks against the
catalogue (unknown codes, figures, dates, references), each located (file, record, field / sheet, row, column), in
file order. What makes a whole file unusable still stops at once; merge, which never checks against a catalogue,
still refuses any load problem; a bundle that had one is never scored."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import openpyxl
import pytest
import yaml
from clirun import Ran, files_under, run_main
from test_excel import SMALL_BUNDLE, cell_of, edit, fill_workbook

from par_score.catalogue import load_catalogue
from par_score.errors import InputError
from par_score.evidence import load_bundle
from par_score.outputs.excel.evidence_template import build_template
from par_score.scoring.checks import check_bundle
from par_score.scoring.scorer import Scorer
from par_score.testing.synthetic import synthetic_bundle

CATALOGUE = load_catalogue()
BASE = synthetic_bundle(CATALOGUE, random.Random(2024), 7, survey_share=0.5)
UNKNOWN = f"chỉ số 'chi_so_khong_co' không có trong danh mục '{CATALOGUE.id}'"
OUT_OF_YEAR = "ngày 01/05/2019 nằm ngoài khoảng của năm đánh giá 2024 (01/01/2023 – 31/03/2025)"


def _ratio_and_other() -> tuple[int, int]:
    """A ratio metric that no other record references, and a different metric."""
    ratio = next(i for i, m in enumerate(BASE["metrics"]) if "numerator" in m)
    other = next(i for i, m in enumerate(BASE["metrics"]) if i != ratio)
    return ratio, other


def three_mistakes() -> dict:
    """A type error (text figure), an unknown indicator and a document dated outside the evaluation year."""
    data = copy.deepcopy(BASE)
    ratio, other = _ratio_and_other()
    data["metrics"][ratio]["denominator"] = "mười"
    data["metrics"][other]["indicator"] = "chi_so_khong_co"
    data["documents"][3]["issue_date"] = "2019-05-01"
    return data


def write(folder: Path, name: str, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(ran: Ran) -> list[str]:
    assert ran.code == 2, ran.text
    assert "Traceback" not in ran.text
    return [line.removeprefix("  - ") for line in ran.err.splitlines() if line.startswith("  - ")]


def score_refused(tmp_path: Path, source: Path) -> list[str]:
    out = tmp_path / "ket-qua"
    problems = problems_of(run_main("score", str(source), "--out", str(out)))
    assert files_under(out) == []
    return problems


# ---- YAML: all three mistakes in one run -----------------------------------------------------------------------
def test_a_type_error_an_unknown_indicator_and_an_out_of_year_date_are_reported_together(tmp_path):
    path = write(tmp_path / "bo", "bundle.yaml", three_mistakes())
    ratio, other = _ratio_and_other()
    doc, first = BASE["documents"][3], BASE["metrics"][ratio]
    assert score_refused(tmp_path, path) == [  # in file order: documents, then metrics by position
        f"Tệp '{path}', bản ghi documents #4 (id: {doc['id']}), trường 'issue_date': {OUT_OF_YEAR}",
        f"Tệp '{path}', bản ghi metrics #{ratio + 1} (indicator: {first['indicator']}), trường 'denominator': 'mười' không phải là số",
        f"Tệp '{path}', bản ghi metrics #{other + 1} (indicator: chi_so_khong_co), trường 'indicator': {UNKNOWN}",
    ]


def test_the_records_after_one_left_out_keep_their_own_position(tmp_path):
    data = copy.deepcopy(BASE)
    data["documents"][1]["kind"] = "to_trinh"  # left out: documents #3 must still be called #3
    data["documents"][2]["issue_date"] = "2019-05-01"
    path = write(tmp_path / "bo", "bundle.yaml", data)
    problems = score_refused(tmp_path, path)
    assert len(problems) == 2, problems
    assert problems[0].startswith(
        f"Tệp '{path}', bản ghi documents #2 (id: {BASE['documents'][1]['id']}), trường 'kind': giá trị không hợp lệ"
    )
    assert (
        problems[1]
        == f"Tệp '{path}', bản ghi documents #3 (id: {BASE['documents'][2]['id']}), trường 'issue_date': {OUT_OF_YEAR}"
    )


def test_a_document_left_out_is_not_reported_again_where_it_is_referenced(tmp_path):
    data = copy.deepcopy(BASE)
    referenced = next(d for m in data["metrics"] for d in m.get("documents", []))
    position = next(i for i, d in enumerate(data["documents"]) if d["id"] == referenced)
    data["documents"][position]["title"] = 5
    path = write(tmp_path / "bo", "bundle.yaml", data)
    assert score_refused(tmp_path, path) == [
        f"Tệp '{path}', bản ghi documents #{position + 1} (id: {referenced}), trường 'title': phải là chuỗi văn bản"
    ]


def test_an_unknown_top_level_key_and_a_wrong_report_are_reported_with_the_checks(tmp_path):
    data = three_mistakes()
    data["ghi_chu"] = "ghi chú của người nhập"
    data["report"]["date"] = "ngày 5"
    path = write(tmp_path / "bo", "bundle.yaml", data)
    problems = score_refused(tmp_path, path)
    assert len(problems) == 5, problems
    assert problems[0] == f"Tệp '{path}', trường 'ghi_chu': trường không được phép (không có trong định dạng)"
    assert problems[-1].startswith(f"Tệp '{path}', trường 'report.date': phải là ngày")


def test_the_files_of_a_folder_bundle_are_reported_in_file_order(tmp_path):
    folder = tmp_path / "bo"
    data = three_mistakes()
    ratio, other = _ratio_and_other()
    head = write(folder, "a-chung.yaml", {k: v for k, v in data.items() if k != "metrics"})
    typed = write(folder, "b-so-lieu.yaml", {"metrics": [data["metrics"][ratio]]})
    unknown = write(folder, "c-so-lieu.yaml", {"metrics": [data["metrics"][other]]})
    assert [p.split(",")[0] for p in score_refused(tmp_path, folder)] == [
        f"Tệp '{head}'",
        f"Tệp '{typed}'",
        f"Tệp '{unknown}'",
    ]


# ---- a workbook: the same three mistakes, each by sheet, row and column ---------------------------------------------
@pytest.fixture
def filled(tmp_path) -> Path:
    source = tmp_path / "tinh-thu.yaml"
    source.write_text(SMALL_BUNDLE, encoding="utf-8")
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "kh.pdf").write_bytes(b"%PDF-1.4 ke hoach")
    template = tmp_path / "mau.xlsx"
    build_template(CATALOGUE).save(template)
    return fill_workbook(template, load_bundle(source), tmp_path / "tinh-thu.xlsx")


def test_a_workbook_with_three_mistakes_names_the_sheet_row_and_column_of_each(tmp_path, filled):
    denominator = cell_of(filled, "Số liệu", "Mẫu số", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_cchc")
    indicator = cell_of(filled, "Số liệu", "Mã chỉ số", "Mã chỉ số", "ty_le_vbqppl_duoc_kiem_tra")
    date = cell_of(filled, "Văn bản", "Ngày ban hành", "Mã văn bản", "bc-q1")
    edit(filled, "Số liệu", {denominator: "bốn mươi tám", indicator: "chi_so_khong_co"})
    edit(filled, "Văn bản", {date: "2024-02-30"})
    problems = score_refused(tmp_path, filled)
    assert len(problems) == 3, problems
    assert problems[0].startswith(
        f"Tệp '{filled}', Sheet 'Văn bản', dòng {date[1:]}, cột 'Ngày ban hành': phải là ngày"
    )
    assert problems[1:] == sorted(
        [
            f"Tệp '{filled}', Sheet 'Số liệu', dòng {denominator[1:]}, cột 'Mẫu số': 'bốn mươi tám' không phải là số",
            f"Tệp '{filled}', Sheet 'Số liệu', dòng {indicator[1:]}, cột 'Mã chỉ số': {UNKNOWN}",
        ],
        key=lambda p: int(p.split("dòng ")[1].split(",")[0]),
    )


def test_a_workbook_whose_structure_is_wrong_stops_at_once(tmp_path, filled):
    indicator = cell_of(filled, "Số liệu", "Mã chỉ số", "Mã chỉ số", "ty_le_vbqppl_duoc_kiem_tra")
    wb = openpyxl.load_workbook(filled)
    del wb["Không phát sinh"]
    wb["Số liệu"][indicator] = "chi_so_khong_co"
    wb.save(filled)
    problems = score_refused(tmp_path, filled)
    assert len(problems) == 1 and "Sheet 'Không phát sinh': thiếu sheet" in problems[0], problems


# ---- what still stops at once ----------------------------------------------------------------------------------------
def test_a_bundle_with_only_record_errors_still_exits_2(tmp_path):
    data = copy.deepcopy(BASE)
    data["documents"][0].pop("issuer")
    path = write(tmp_path / "bo", "bundle.yaml", data)
    assert score_refused(tmp_path, path) == [
        f"Tệp '{path}', bản ghi documents #1 (id: {BASE['documents'][0]['id']}), trường 'issuer': thiếu trường bắt buộc"
    ]


def test_a_wrong_year_makes_the_file_unusable_and_stops_before_the_checks(tmp_path):
    data = three_mistakes()
    data["year"] = "2024"
    path = write(tmp_path / "bo", "bundle.yaml", data)
    problems = score_refused(tmp_path, path)
    assert problems[0] == f"Tệp '{path}', trường 'year': phải là số nguyên"
    assert any("'denominator': 'mười' không phải là số" in p for p in problems)  # its records' own problems too
    assert not any(UNKNOWN in p or OUT_OF_YEAR in p for p in problems)  # no catalogue checks on an unusable file


# ---- paths without catalogue checks refuse; a bundle with load problems is never scored -----------------------------
def test_load_bundle_is_strict_unless_asked_and_the_scorer_refuses_what_was_left_out(tmp_path):
    data = copy.deepcopy(BASE)
    ratio, _ = _ratio_and_other()
    data["metrics"][ratio]["denominator"] = "mười"
    path = write(tmp_path / "bo", "bundle.yaml", data)
    with pytest.raises(InputError) as strict:
        load_bundle(path)
    bundle = load_bundle(path, lenient=True)
    assert len(bundle.metrics) == len(BASE["metrics"]) - 1
    for refuse in (
        lambda: check_bundle(bundle, CATALOGUE),
        lambda: Scorer(CATALOGUE).score(bundle),
        lambda: Scorer(CATALOGUE).score_many([bundle]),
    ):
        with pytest.raises(InputError) as caught:
            refuse()
        assert caught.value.problems == strict.value.problems
    with pytest.raises(InputError):
        next(iter(Scorer(CATALOGUE).iter_scores([bundle])))


def test_merge_still_refuses_a_part_with_a_record_error(tmp_path):
    data = three_mistakes()
    head = write(tmp_path / "phan", "chung.yaml", {k: v for k, v in data.items() if k != "metrics"})
    metrics = write(tmp_path / "phan", "so-lieu.yaml", {"metrics": data["metrics"]})
    out = tmp_path / "hop-nhat.yaml"
    problems = problems_of(run_main("merge", str(head), str(metrics), "--out", str(out)))
    assert problems == [
        f"Tệp '{metrics}', bản ghi metrics #{_ratio_and_other()[0] + 1} (indicator: {BASE['metrics'][_ratio_and_other()[0]]['indicator']}), trường 'denominator': 'mười' không phải là số"
    ]
    assert not out.exists()


def test_a_batch_reports_load_and_check_problems_of_each_bundle_and_writes_nothing(tmp_path):
    folder = tmp_path / "loat"
    good = copy.deepcopy(BASE)
    good["unit"] = {**good["unit"], "code": "tinh-tot"}
    write(folder, "a-tot.yaml", good)
    bad = write(folder, "b-loi.yaml", three_mistakes())
    out = tmp_path / "ket-qua"
    problems = problems_of(run_main("score", str(folder), "--out", str(out)))
    assert len(problems) == 3 and all(p.startswith(f"Tệp '{bad}'") for p in problems), problems
    assert files_under(out) == []
