"""Workbooks filled the way agencies fill them: thousands separators, percent signs, fractions in percent columns,
merged cells, a NaN cell, a file saved in another format, "không đạt" declared, a template made for one unit.
Every misread is either read right or refused with a message naming the sheet, the row and the column."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from clirun import ROOT, run_main
from test_excel import SMALL_BUNDLE, as_workbook, cell_of, edit, refused

from par_score.evidence import load_bundle
from par_score.outputs.excel.evidence_template import build_template

RATIO = "ty_le_hoan_thanh_ke_hoach_cchc"
PERCENT = "ty_le_hoan_thanh_ke_hoach_tuyen_truyen"


@pytest.fixture
def filled(tmp_path, catalogue):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "kh.pdf").write_bytes(b"%PDF-1.4 ke hoach")
    source = tmp_path / "tinh-thu.yaml"
    source.write_text(SMALL_BUNDLE, encoding="utf-8")
    template = tmp_path / "mau.xlsx"
    build_template(catalogue).save(template)
    return as_workbook(source, template, tmp_path / "tinh-thu.xlsx")


def metric(path: Path, indicator: str):
    return next(m for m in load_bundle(path).metrics if m.indicator == indicator)


def test_numbers_typed_as_text_are_read_the_vietnamese_way(filled):
    numerator = cell_of(filled, "Số liệu", "Tử số", "Mã chỉ số", RATIO)
    denominator = cell_of(filled, "Số liệu", "Mẫu số", "Mã chỉ số", RATIO)
    percent = cell_of(filled, "Số liệu", "Tỷ lệ (%)", "Mã chỉ số", PERCENT)
    edit(filled, "Số liệu", {numerator: "10.120", denominator: "10\u00a0240", percent: "85%"})
    assert (metric(filled, RATIO).numerator, metric(filled, RATIO).denominator) == (10120, 10240)
    assert metric(filled, PERCENT).percent == 85


def test_a_text_number_that_reads_two_ways_is_refused_at_its_cell(filled):
    numerator = cell_of(filled, "Số liệu", "Tử số", "Mã chỉ số", RATIO)
    edit(filled, "Số liệu", {numerator: "10,000"})
    assert refused(filled) == [
        f"Tệp '{filled}', Sheet 'Số liệu', dòng {numerator[1:]}, cột 'Tử số': '10,000' đọc được hai cách: 10 (dấu ',' "
        "là dấu thập phân) hoặc 10000 (dấu ',' phân cách hàng nghìn); không đoán — hãy viết 10 hoặc 10000"
    ]


def test_a_fraction_in_a_percent_column_is_refused_unless_the_cell_says_percent(filled):
    percent = cell_of(filled, "Số liệu", "Tỷ lệ (%)", "Mã chỉ số", PERCENT)
    edit(filled, "Số liệu", {percent: 0.85})
    (problem,) = refused(filled)
    assert problem.startswith(f"Tệp '{filled}', Sheet 'Số liệu', dòng {percent[1:]}, cột 'Tỷ lệ (%)': tỷ lệ 0,85 đọc")
    message = problem.split("cột 'Tỷ lệ (%)': ", 1)[1]
    assert "cột 'Tỷ lệ (%)' nhập phần trăm: 85 cho 85 %" in message and "percent" not in message
    wb = openpyxl.load_workbook(filled)
    wb["Số liệu"][percent] = 0.0085
    wb["Số liệu"][percent].number_format = "0.00%"  # shown as 0,85 %: the cell states its unit
    wb.save(filled)
    assert metric(filled, PERCENT).percent == Decimal("0.85")


def test_messages_name_columns_never_fields(filled):
    value = cell_of(filled, "Số liệu", "Giá trị", "Mã chỉ số", RATIO)
    edit(filled, "Số liệu", {value: 3})  # a ratio row given a value as well
    (problem,) = refused(filled)
    assert "cần đúng một dạng số liệu: cột 'Tử số' + cột 'Mẫu số', hoặc cột 'Tỷ lệ (%)', hoặc cột 'Giá trị'" in problem
    message = problem.split(": ", 1)[1]
    assert not any(word in message for word in ("numerator", "denominator", "percent", "value", "not_applicable"))


def test_a_merged_cell_is_refused_with_its_range(filled):
    wb = openpyxl.load_workbook(filled)
    first = cell_of(filled, "Số liệu", "Nguồn số liệu", "Mã chỉ số", RATIO)
    column, row = first[0], int(first[1:])
    wb["Số liệu"].merge_cells(f"{column}{row}:{column}{row + 2}")
    wb.save(filled)
    problems = refused(filled)
    assert any(
        p.startswith(f"Tệp '{filled}', Sheet 'Số liệu', dòng {row}: ô gộp {column}{row}:{column}{row + 2} (dòng {row}–")
        and "bỏ gộp ô" in p
        for p in problems
    ), problems


def test_a_nan_cell_is_located_and_said_in_vietnamese(filled):
    numerator = cell_of(filled, "Số liệu", "Tử số", "Mã chỉ số", RATIO)
    edit(filled, "Số liệu", {numerator: 4747474})
    damaged = filled.with_name("nan.xlsx")
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename).replace(b"<v>4747474</v>", b"<v>NaN</v>")
            target.writestr(item, data)
    assert refused(damaged) == [
        f"Tệp '{damaged}', Sheet 'Số liệu', dòng {numerator[1:]}, cột 'Tử số': ô {numerator} kiểu số chứa 'NaN', không "
        "phải là số (NaN, chữ…) — hãy nhập lại một số (vd. 47 hoặc 97,5) hoặc xóa ô"
    ]


@pytest.mark.parametrize(
    "suffix, words",
    [(".xls", "Sổ làm việc Excel (*.xlsx)"), (".ods", "Excel 2007-365 (.xlsx)"), (".csv", "par-score template")],
)
def test_other_spreadsheet_formats_are_answered_with_how_to_save_as_xlsx(tmp_path, suffix, words):
    path = tmp_path / f"so-noi-vu{suffix}"
    path.write_bytes(b"not read")
    for ran in (
        run_main("score", str(path), "--out", str(tmp_path / "kq")),
        run_main("merge", str(path), "--out", str(tmp_path / "x.yaml")),
    ):
        assert ran.code == 2 and words in ran.err and "chỉ .yaml" not in ran.err, ran.err
    folder = tmp_path / "phan"
    folder.mkdir()
    (folder / path.name).write_bytes(b"not read")
    (folder / "bundle.yaml").write_text(SMALL_BUNDLE, encoding="utf-8")
    ran = run_main("score", str(folder), "--out", str(tmp_path / "kq"))
    assert ran.code == 2 and words in ran.err


def test_not_achieved_declared_in_the_workbook(filled, scorer):
    wb = openpyxl.load_workbook(filled)
    ws = wb["Không đạt"]
    headers = {c.value: c.column for c in ws[1]}
    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=headers["Chủ đề"]).value == "ke_hoach_theo_doi_thpl"
    )
    ws.cell(row=row, column=headers["Khai báo"]).value = "Không đạt"
    ws.cell(row=row, column=headers["Lý do, ghi chú"]).value = "Năm 2024 không ban hành kế hoạch riêng"
    wb.save(filled)
    bundle = load_bundle(filled)
    assert [(d.topic, d.note) for d in bundle.not_achieved] == [
        ("ke_hoach_theo_doi_thpl", "Năm 2024 không ban hành kế hoạch riêng")
    ]
    assert scorer.score(bundle).leaf("2.4.1").status == "not_achieved"
    ws.cell(row=row, column=headers["Khai báo"]).value = None  # a note alone does not say "không đạt"
    wb.save(filled)
    (problem,) = refused(filled)
    assert f"Sheet 'Không đạt', dòng {row}, cột 'Khai báo': để khai báo không đạt, chọn 'Không đạt'" in problem


def test_a_workbook_made_before_the_new_sheet_and_columns_is_still_read(filled, scorer):
    wb = openpyxl.load_workbook(filled)
    del wb["Không đạt"]
    ws = wb["Số liệu"]
    for header in ("Số liệu năm trước", "Đơn vị đóng góp"):
        column = next(c.column for c in ws[1] if c.value == header)
        ws.delete_cols(column)
    wb.save(filled)
    assert load_bundle(filled).metrics


def test_template_for_one_unit_fills_and_locks_the_info_sheet(tmp_path):
    out = tmp_path / "stp.xlsx"
    ran = run_main(
        "template",
        "--agency",
        "Sở Tư pháp",
        "--unit",
        "tay-ninh",
        "--unit-name",
        "Tỉnh Tây Ninh",
        "--year",
        "2024",
        "--out",
        str(out),
    )
    assert ran.code == 0, ran.err
    ws = openpyxl.load_workbook(out)["Thông tin"]
    values = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(2, ws.max_row + 1)}
    assert values["Mã đơn vị"].value == "tay-ninh" and values["Tên đơn vị"].value == "Tỉnh Tây Ninh"
    assert values["Cơ quan, đơn vị nhập liệu"].value == "Sở Tư pháp"
    assert ws.protection.sheet and values["Mã đơn vị"].protection.locked and values["Năm đánh giá"].protection.locked
    part = load_bundle(out, lenient=True)  # nothing typed yet: the unit and the year are already the province's
    assert (part.unit.code, part.year) == ("tay-ninh", 2024)
    wrong = run_main(
        "template", "--unit", "Tây Ninh", "--unit-name", "Tỉnh Tây Ninh", "--out", str(tmp_path / "x.xlsx")
    )
    assert (
        wrong.code == 2
        and "tùy chọn '--unit': 'Tây Ninh' sai định dạng" in wrong.err
        and "gợi ý: tay-ninh" in wrong.err
    )
    year = run_main("template", "--year", "2025", "--out", str(tmp_path / "y.xlsx"))
    assert year.code == 2 and "năm 2025 khác năm đánh giá" in year.err


def test_a_folder_of_agency_workbooks_is_answered_with_the_merge_command(tmp_path, catalogue):
    folder = tmp_path / "tay-ninh"
    folder.mkdir()
    for agency, name in (("Sở Nội vụ", "so-noi-vu.xlsx"), ("Sở Tư pháp", "so-tu-phap.xlsx")):
        run_main(
            "template",
            "--agency",
            agency,
            "--unit",
            "tay-ninh",
            "--unit-name",
            "Tỉnh Tây Ninh",
            "--out",
            str(folder / name),
        )
    ran = run_main("score", str(folder), "--out", str(tmp_path / "kq"))
    assert ran.code == 2
    assert (
        f"2 tệp cùng khai báo đơn vị 'tay-ninh', năm 2024: đó là các phần của một bộ tài liệu (mỗi cơ quan một phần), "
        f"không phải nhiều đơn vị — hãy hợp nhất rồi chấm: par-score merge {folder / 'so-noi-vu.xlsx'} "
        f"{folder / 'so-tu-phap.xlsx'} --out {folder / 'tay-ninh-2024.yaml'} rồi chấm: par-score score "
        f"{folder / 'tay-ninh-2024.yaml'}"
    ) in ran.err.replace("\n    ", " ")
    (folder / "bundle.yaml").write_text(SMALL_BUNDLE, encoding="utf-8")  # a folder bundle with workbooks in it
    (folder / "phan.yaml").write_text("format: par-score/evidence@1\n", encoding="utf-8")
    ran = run_main("score", str(folder), "--out", str(tmp_path / "kq"))
    assert ran.code == 2 and "par-score merge" in ran.err and f"--out {tmp_path / 'tay-ninh.yaml'}" in ran.err


def test_a_console_that_cannot_show_vietnamese_never_crashes(tmp_path, filled):
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT)}
    env.pop("PAR_SCORE_DEBUG", None)
    for args, code in (
        (["score", str(filled), "--out", str(tmp_path / "kq")], 0),
        (["explain", str(filled), "1.1.2"], 0),
        (["score", str(tmp_path / "khong-co.yaml")], 2),
        (["--help"], 0),
    ):
        done = subprocess.run([sys.executable, "-m", "par_score", *args], capture_output=True, env=env, timeout=120)
        assert done.returncode == code, done.stderr.decode("cp1252")
        text = (done.stdout + done.stderr).decode("cp1252")
        assert "Traceback" not in text and "UnicodeEncodeError" not in text
        assert "Lỗi nội bộ" not in text and "L?i n?i b?" not in text
    assert "Tieu chi 1.1.2" in text or "Tiêu chí" in text or "Cách dùng" in text or "C?ch d?ng" in text
