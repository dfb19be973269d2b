"""Excel in and out: the evidence template round-trips, bad workbooks are refused cell by cell, agencies' parts merge
(or conflict, naming both sources), agencies preview their own part, and the exported table holds no formula."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from builders import full_marks, merge_paths, write_bundle

from par_score.errors import InputError
from par_score.evidence import load_bundle
from par_score.evidence.model import DOCUMENT_KINDS, Bundle
from par_score.io.resources import bundled_dir
from par_score.numbers import vn
from par_score.outputs.evidence_yaml import bundle_yaml
from par_score.outputs.excel.cells import put
from par_score.outputs.excel.evidence_template import build_template
from par_score.outputs.excel.result_table import build_export
from par_score.outputs.terminal.tables import score_table

EXAMPLES = bundled_dir("evidence") / "examples"

SMALL_BUNDLE = """\
format: par-score/evidence@1
unit: {code: tinh-thu, name: "Tỉnh Thử", level: tinh}
year: 2024
catalogue: par-tinh-tham-chieu-2024
documents:
  - {id: kh-cchc-2024, kind: ke_hoach, number: "3989/KH-UBND", issuer: "UBND tỉnh Thử", issue_date: 2023-12-25,
     title: "Kế hoạch CCHC năm 2024", topics: [ke_hoach_cchc_nam], locator: "Toàn văn",
     file: {path: files/kh.pdf}}
  - {id: bc-q1, kind: bao_cao, number: "45/BC-UBND", issuer: "UBND tỉnh Thử", issue_date: 2024-03-10, title: "Báo cáo CCHC quý I", topics: [bao_cao_cchc], period: q1}
  - {id: bc-h1, kind: bao_cao, number: "150/BC-UBND", issuer: "UBND tỉnh Thử", issue_date: 2024-06-11, title: "Báo cáo CCHC 6 tháng", topics: [bao_cao_cchc], period: h1}
  - {id: bc-q3, kind: bao_cao, number: "260/BC-UBND", issuer: "UBND tỉnh Thử", issue_date: 2024-09-20, title: "Báo cáo CCHC quý III", topics: [bao_cao_cchc], period: q3}
  - {id: bc-nam, kind: bao_cao, number: "400/BC-UBND", issuer: "UBND tỉnh Thử", issue_date: 2024-12-10, title: "Báo cáo CCHC năm", topics: [bao_cao_cchc], period: nam}
  - {id: qd-thi-dua, kind: quyet_dinh, number: 15, issuer: "UBND tỉnh Thử", issue_date: 2024-02-01,
     title: "Quy định thi đua, khen thưởng (có tiêu chí CCHC)", topics: [quy_dinh_thi_dua_cchc, ke_hoach_ra_soat_vbqppl]}
  - {id: bc-cchc-nam-2024, kind: bao_cao, number: "401/BC-UBND", issuer: "UBND tỉnh Thử", issue_date: 2024-12-12, title: "Báo cáo kết quả CCHC năm 2024"}
metrics:
  - {indicator: ty_le_hoan_thanh_ke_hoach_cchc, numerator: 47, denominator: 48, period: "2024", source: "Báo cáo CCHC năm 2024", documents: [bc-cchc-nam-2024]}
  - {indicator: ty_le_hoan_thanh_ke_hoach_tuyen_truyen, percent: 97.5}
  - {indicator: ty_le_giam_ho_ngheo_so_voi_chi_tieu, numerator: 0.3, denominator: 1}  # figures: amount (decimals)
  - {indicator: so_sang_kien_cchc_duoc_cong_nhan, value: 1, documents: [bc-cchc-nam-2024, qd-thi-dua]}
  - {indicator: so_vu_vi_pham_tuyen_dung_cong_chuc, value: 0}
  - {indicator: thay_doi_diem_pci, value: -0.35}
  - {indicator: ty_le_vbqppl_duoc_kiem_tra, numerator: 18, denominator: 18}
not_applicable:
  - {criterion: "1.3.2", reason: "Qua kiểm tra không phát hiện vấn đề cần xử lý", documents: [bc-cchc-nam-2024]}
  - {criterion: "2.1.1", reason: "Năm 2024 không có văn bản trong Chương trình"}
survey:
  - {item: "1.7", percent: 83.94, source: "SIPAS 2023"}
  - {item: "2.6", answers: {A: 120, B: 60, C: 15, D: 5}}
explanations:
  - {criterion: "1.5.1", text: "Năm 2024 có 1 sáng kiến được công nhận.\\nĐang đề nghị công nhận thêm 1 sáng kiến."}
  - {criterion: "1.1", text: "=HYPERLINK(\\"http://example.invalid\\", \\"bấm\\")"}
"""


# ---- helpers ---------------------------------------------------------------------------------------------------
def _columns(ws) -> dict[str, int]:
    return {ws.cell(row=1, column=c).value: c for c in range(1, ws.max_column + 1) if ws.cell(row=1, column=c).value}


def _find_row(ws, cols: dict[str, int], match: dict[str, object], empty: str) -> int:
    """The first pre-filled row matching `match` whose `empty` column is still empty; else the first unused row."""
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=cols[empty]).value not in (None, ""):
            continue
        if all(ws.cell(row=row, column=cols[h]).value == v for h, v in match.items()):
            return row
    row = 2
    while any(ws.cell(row=row, column=c).value not in (None, "") for c in cols.values()):
        row += 1
    return row


def _set(ws, row: int, cols: dict[str, int], values: dict[str, object]) -> None:
    for header, value in values.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list):
            value = "; ".join(value)
        put(ws.cell(row=row, column=cols[header]), value)  # text typed as text (a leading '=' stays text)


def fill_workbook(template: Path, bundle: Bundle, target: Path) -> Path:
    """Type a bundle's values into a generated template, the way a person would, row by pre-filled row."""
    wb = openpyxl.load_workbook(template)
    info = wb["Thông tin"]
    labels = {info.cell(row=r, column=1).value: r for r in range(2, info.max_row + 1)}
    info.cell(row=labels["Mã đơn vị"], column=2).value = bundle.unit.code
    info.cell(row=labels["Tên đơn vị"], column=2).value = bundle.unit.name
    info.cell(row=labels["Cấp đơn vị"], column=2).value = {"tinh": "cấp tỉnh"}.get(bundle.unit.level, bundle.unit.level)
    info.cell(row=labels["Năm đánh giá"], column=2).value = bundle.year
    info.cell(row=labels["Danh mục tiêu chí"], column=2).value = bundle.catalogue

    ws = wb["Văn bản"]
    cols = _columns(ws)
    for n, doc in enumerate(bundle.documents):
        match = {"Chủ đề": doc.topics[0], "Kỳ báo cáo": doc.period} if doc.topics else {"Chủ đề": "∅"}
        row = _find_row(ws, cols, match, "Mã văn bản")
        values = {
            "Chủ đề": doc.topics,
            "Kỳ báo cáo": doc.period,
            "Mã văn bản": doc.id,
            # half typed as the dropdown's Vietnamese label, half as the machine code
            "Loại văn bản": DOCUMENT_KINDS[doc.kind] if n % 2 == 0 else doc.kind,
            "Số, ký hiệu": doc.number,
            "Cơ quan ban hành": doc.issuer,
            "Ngày ban hành": doc.issue_date,
            "Trích yếu": doc.title,
            "Vị trí trong văn bản": doc.locator,
            "Tệp đính kèm": doc.file.path if doc.file else None,
            "Mã băm SHA-256": doc.file.sha256 if doc.file else None,
        }
        _set(ws, row, cols, values)

    ws = wb["Số liệu"]
    cols = _columns(ws)
    for metric in bundle.metrics:
        row = _find_row(ws, cols, {"Mã chỉ số": metric.indicator}, "Nguồn số liệu")
        _set(
            ws,
            row,
            cols,
            {
                "Mã chỉ số": metric.indicator,
                "Tử số": metric.numerator,
                "Mẫu số": metric.denominator,
                "Tỷ lệ (%)": metric.percent,
                "Giá trị": metric.value,
                "Kỳ số liệu": metric.period,
                "Nguồn số liệu": metric.source,
                "Văn bản kèm theo": metric.documents,
            },
        )

    ws = wb["Không phát sinh"]
    cols = _columns(ws)
    for na in bundle.not_applicable:
        row = _find_row(ws, cols, {"Mã tiêu chí": na.criterion}, "Lý do không phát sinh")
        _set(
            ws,
            row,
            cols,
            {"Mã tiêu chí": na.criterion, "Lý do không phát sinh": na.reason, "Văn bản kèm theo": na.documents},
        )

    ws = wb["Điều tra (xem trước)"]
    cols = _columns(ws)
    for result in bundle.survey:
        row = _find_row(ws, cols, {"Mục điều tra": result.item}, "Nguồn")
        values = {"Mục điều tra": result.item, "Tỷ lệ (%)": result.percent, "Nguồn": result.source}
        values.update({f"Số phiếu {k}": v for k, v in (result.answers or {}).items()})
        _set(ws, row, cols, values)

    ws = wb["Giải trình"]
    cols = _columns(ws)
    for explanation in bundle.explanations:
        row = _find_row(ws, cols, {"Mã tiêu chí": explanation.criterion}, "Giải trình")
        _set(
            ws,
            row,
            cols,
            {
                "Mã tiêu chí": explanation.criterion,
                "Giải trình": explanation.text,
                "Văn bản kèm theo": explanation.documents,
            },
        )
    wb.save(target)
    return target


@pytest.fixture
def small(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "kh.pdf").write_bytes(b"%PDF-1.4 ke hoach")
    path = tmp_path / "tinh-thu.yaml"
    path.write_text(SMALL_BUNDLE, encoding="utf-8")
    return path


@pytest.fixture
def template(tmp_path, catalogue):
    path = tmp_path / "mau.xlsx"
    build_template(catalogue).save(path)
    return path


def as_workbook(source: Path, template: Path, target: Path) -> Path:
    return fill_workbook(template, load_bundle(source), target)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "par_score", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def refused(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_bundle(path)
    return [p.render() for p in caught.value.problems]


def edit(path: Path, sheet: str, changes: dict[str, object], target: Path | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    for coordinate, value in changes.items():
        wb[sheet][coordinate] = value
    wb.save(target or path)
    return target or path


def cell_of(path: Path, sheet: str, header: str, key_header: str, key: str) -> str:
    """The coordinate of column `header` in the row whose `key_header` is `key`."""
    ws = openpyxl.load_workbook(path)[sheet]
    cols = _columns(ws)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=cols[key_header]).value == key:
            return ws.cell(row=row, column=cols[header]).coordinate
    raise AssertionError(f"{key} not in {sheet}")


# ---- the template --------------------------------------------------------------------------------------------
def test_template_sheets_headers_dropdowns_and_dates(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [
        "Hướng dẫn",
        "Thông tin",
        "Văn bản",
        "Số liệu",
        "Không phát sinh",
        "Không đạt",
        "Điều tra (xem trước)",
        "Giải trình",
        "Danh sách",
    ]
    assert wb["Danh sách"].sheet_state == "hidden"
    metrics = wb["Số liệu"]
    headers = [c.value for c in metrics[1]]
    for header in (
        "Mã tiêu chí",
        "Tên tiêu chí",
        "Cách nhập",
        "Mã chỉ số",
        "Tử số",
        "Mẫu số",
        "Tỷ lệ (%)",
        "Giá trị",
        "Cơ quan chủ trì",
        "Tài liệu kiểm chứng cần có",
    ):
        assert header in headers
    assert metrics.freeze_panes == "C2"
    cols = _columns(metrics)
    rows = {metrics.cell(row=r, column=cols["Mã tiêu chí"]).value: r for r in range(2, metrics.max_row + 1)}
    row_112 = rows["1.1.2"]
    assert metrics.cell(row=row_112, column=cols["Mã chỉ số"]).value == "ty_le_hoan_thanh_ke_hoach_cchc"
    assert "Tử số" in metrics.cell(row=row_112, column=cols["Cách nhập"]).value
    assert "Giá trị" in metrics.cell(row=rows["1.5.1"], column=cols["Cách nhập"]).value
    assert "≥ 80 %" in metrics.cell(row=row_112, column=cols["Cách tính điểm"]).value
    assert metrics.cell(row=row_112, column=cols["Cơ quan chủ trì"]).value == "Sở Nội vụ"
    assert metrics.column_dimensions["B"].width > 30

    def validated(ws, header):
        letter = openpyxl.utils.get_column_letter(_columns(ws)[header])
        return [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:")]

    assert validated(metrics, "Mã chỉ số")[0].type == "list"
    docs = wb["Văn bản"]
    for header in ("Loại văn bản", "Chủ đề", "Kỳ báo cáo"):
        assert validated(docs, header)[0].type == "list", header
    assert validated(wb["Không phát sinh"], "Mã tiêu chí") and validated(wb["Giải trình"], "Mã tiêu chí")
    assert validated(wb["Điều tra (xem trước)"], "Mục điều tra")
    date_column = _columns(docs)["Ngày ban hành"]
    assert docs.cell(row=2, column=date_column).number_format == "DD/MM/YYYY"
    periodic = [docs.cell(row=r, column=_columns(docs)["Kỳ báo cáo"]).value for r in range(2, docs.max_row + 1)]
    assert [p for p in periodic if p] == ["q1", "h1", "q3", "nam"]
    na_codes = {wb["Không phát sinh"].cell(row=r, column=1).value for r in range(2, 30)} - {None}
    assert {"1.3.2", "2.1.1", "3.4.2"} <= na_codes and "1.1.1" not in na_codes
    assert "Hướng dẫn" in wb.sheetnames and "par-score score" in "\n".join(str(c.value) for c in wb["Hướng dẫn"]["A"])


def test_an_empty_template_is_refused_only_for_the_missing_unit(template):
    problems = refused(template)
    assert problems == [
        f"Tệp '{template}', Sheet 'Thông tin', dòng 2, cột 'Giá trị': chưa nhập mã đơn vị",
        f"Tệp '{template}', Sheet 'Thông tin', dòng 3, cột 'Giá trị': chưa nhập tên đơn vị",
    ]


def test_agency_template_holds_only_that_agencys_criteria(tmp_path, catalogue):
    path = tmp_path / "stp.xlsx"
    build_template(catalogue, "sở tư pháp").save(path)
    wb = openpyxl.load_workbook(path)
    codes = set()
    for name in ("Văn bản", "Số liệu", "Không phát sinh", "Giải trình"):
        ws = wb[name]
        codes |= {ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)} - {None}
    # area 2, and 7.4.3 (chứng thực bản sao điện tử), which the reference catalogue gives Sở Tư pháp to lead
    assert codes and all(code.startswith("2.") or code in ("7.4", "7.4.3") for code in codes)
    assert {c.value for c in wb["Điều tra (xem trước)"]["A"][1:]} - {None} == {"2.6"}
    agencies = {
        wb["Số liệu"].cell(row=r, column=_columns(wb["Số liệu"])["Cơ quan chủ trì"]).value for r in range(2, 12)
    } - {None}
    assert agencies == {"Sở Tư pháp", "Sở Tư pháp (phối hợp: Sở Khoa học và Công nghệ)"}
    assert "Sở Tư pháp" in str(wb["Thông tin"]["B7"].value)


# ---- round trips: a filled template scores exactly like the YAML it was filled from --------------------------------
def _same_result(scorer, yaml_path: Path, xlsx_path: Path) -> None:
    from_yaml = scorer.score(load_bundle(yaml_path))
    from_xlsx = scorer.score(load_bundle(xlsx_path))
    assert json.loads(from_xlsx.to_json()) == json.loads(from_yaml.to_json())


def test_small_bundle_round_trips_through_the_template(scorer, small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "tinh-thu.xlsx")
    _same_result(scorer, small, filled)
    bundle = load_bundle(filled)
    decimal = next(m for m in bundle.metrics if m.indicator == "ty_le_giam_ho_ngheo_so_voi_chi_tieu")
    assert decimal.numerator == Decimal("0.3")  # a float cell read by its shortest repr, not 0.29999…
    assert bundle.documents[5].number == "15"
    assert bundle.documents[0].file.path == "files/kh.pdf"
    assert bundle.survey[1].answers == {"A": 120, "B": 60, "C": 15, "D": 5}
    assert "\n" in bundle.explanations[0].text


def test_full_marks_round_trip(scorer, catalogue, template, tmp_path):
    source = write_bundle(full_marks(catalogue, survey=True), tmp_path / "full.yaml")
    _same_result(scorer, source, as_workbook(source, template, tmp_path / "full.xlsx"))


@pytest.mark.parametrize("example", ["tay-ninh-2024", "tien-giang-2024.yaml"])
def test_bundled_examples_round_trip(scorer, template, tmp_path, example):
    source = EXAMPLES / example
    _same_result(scorer, source, as_workbook(source, template, tmp_path / "example.xlsx"))


def test_score_command_reads_a_workbook(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "tinh-thu.xlsx")
    done = run("score", str(filled), "--out", str(tmp_path / "kq"))
    assert done.returncode == 0, done.stderr
    assert "Tỉnh Thử" in done.stdout


# ---- cells -----------------------------------------------------------------------------------------------------
def test_percent_formatted_cells_and_text_numbers_are_read_exactly(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    percent = cell_of(filled, "Số liệu", "Tỷ lệ (%)", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_tuyen_truyen")
    numerator = cell_of(filled, "Số liệu", "Tử số", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_cchc")
    wb = openpyxl.load_workbook(filled)
    wb["Số liệu"][percent] = 0.975
    wb["Số liệu"][percent].number_format = "0.0%"
    wb["Số liệu"][numerator] = "47,0"
    wb.save(filled)
    bundle = load_bundle(filled)
    by = {m.indicator: m for m in bundle.metrics}
    assert by["ty_le_hoan_thanh_ke_hoach_tuyen_truyen"].percent == Decimal("97.5")
    assert by["ty_le_hoan_thanh_ke_hoach_cchc"].numerator == Decimal("47.0")


def test_iso_text_dates_are_accepted_and_times_refused(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    date_cell = cell_of(filled, "Văn bản", "Ngày ban hành", "Mã văn bản", "kh-cchc-2024")
    edit(filled, "Văn bản", {date_cell: "2023-12-25"})
    assert load_bundle(filled).documents[0].issue_date == dt.date(2023, 12, 25)
    edit(filled, "Văn bản", {date_cell: dt.datetime(2023, 12, 25, 9, 30)})
    row = date_cell[1:]
    assert refused(filled) == [
        f"Tệp '{filled}', Sheet 'Văn bản', dòng {row}, cột 'Ngày ban hành': phải là ngày, không kèm giờ"
    ]
    edit(filled, "Văn bản", {date_cell: "25/12/2023 hôm qua"})
    assert "cột 'Ngày ban hành': phải là ngày" in refused(filled)[0]


# ---- malformed workbooks: every problem names sheet, row and column ------------------------------------------------
def test_text_in_a_number_cell_names_sheet_row_and_column(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    denominator = cell_of(filled, "Số liệu", "Mẫu số", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_cchc")
    negative = cell_of(filled, "Số liệu", "Tử số", "Mã chỉ số", "ty_le_vbqppl_duoc_kiem_tra")
    edit(filled, "Số liệu", {denominator: "bốn mươi tám", negative: -3})
    problems = refused(filled)
    assert (
        f"Tệp '{filled}', Sheet 'Số liệu', dòng {denominator[1:]}, cột 'Mẫu số': 'bốn mươi tám' không phải là số"
        in problems
    )
    assert f"Tệp '{filled}', Sheet 'Số liệu', dòng {negative[1:]}, cột 'Tử số': phải là số không âm" in problems
    done = run("score", str(filled), "--out", str(tmp_path / "kq"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"Sheet 'Số liệu', dòng {denominator[1:]}, cột 'Mẫu số': 'bốn mươi tám' không phải là số" in done.stderr


def test_unknown_codes_are_located_by_the_catalogue_checks(scorer, small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(filled)
    ws = wb["Giải trình"]
    ws["A300"], ws["C300"] = "9.9.9", "Giải trình cho tiêu chí không có"
    metrics = wb["Số liệu"]
    cols = _columns(metrics)
    metrics.cell(row=300, column=cols["Mã chỉ số"]).value = "chi_so_khong_co"
    metrics.cell(row=300, column=cols["Giá trị"]).value = 3
    wb.save(filled)
    with pytest.raises(InputError) as caught:
        scorer.score(load_bundle(filled))
    problems = [p.render() for p in caught.value.problems]
    assert (
        f"Tệp '{filled}', Sheet 'Giải trình', dòng 300, cột 'Mã tiêu chí': tiêu chí '9.9.9' không có trong danh mục 'par-tinh-tham-chieu-2024'"
        in problems
    )
    assert (
        f"Tệp '{filled}', Sheet 'Số liệu', dòng 300, cột 'Mã chỉ số': chỉ số 'chi_so_khong_co' không có trong danh mục 'par-tinh-tham-chieu-2024'"
        in problems
    )


def test_catalogue_checks_on_header_fields_point_at_the_info_sheet(scorer, small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    edit(filled, "Thông tin", {"B5": 2023})
    with pytest.raises(InputError) as caught:
        scorer.score(load_bundle(filled))
    rendered = [p.render() for p in caught.value.problems]
    assert any(
        r.startswith(f"Tệp '{filled}', Sheet 'Thông tin', dòng 5, cột 'Giá trị': năm đánh giá 2023") for r in rendered
    ), rendered


def test_bad_kind_bad_id_and_missing_required_field(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    kind = cell_of(filled, "Văn bản", "Loại văn bản", "Mã văn bản", "bc-q1")
    doc_id = cell_of(filled, "Văn bản", "Mã văn bản", "Mã văn bản", "bc-h1")
    issuer = cell_of(filled, "Văn bản", "Cơ quan ban hành", "Mã văn bản", "bc-q3")
    edit(filled, "Văn bản", {kind: "Tờ trình", doc_id: "bc h1 (sai)", issuer: None})
    problems = refused(filled)
    assert any(
        p.startswith(
            f"Tệp '{filled}', Sheet 'Văn bản', dòng {kind[1:]}, cột 'Loại văn bản': loại văn bản 'Tờ trình' không hợp lệ"
        )
        for p in problems
    )
    assert any(
        p.startswith(f"Tệp '{filled}', Sheet 'Văn bản', dòng {doc_id[1:]}, cột 'Mã văn bản': '")
        and "sai định dạng: cần chữ cái không dấu" in p
        and "vd. kh-cchc-2024" in p
        for p in problems
    )
    assert (
        f"Tệp '{filled}', Sheet 'Văn bản', dòng {issuer[1:]}, cột 'Cơ quan ban hành': thiếu trường bắt buộc" in problems
    )


def test_markup_and_template_syntax_in_cells_are_refused_by_sheet_row_and_column(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    title = cell_of(filled, "Văn bản", "Trích yếu", "Mã văn bản", "bc-q1")
    source = cell_of(filled, "Số liệu", "Nguồn số liệu", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_cchc")
    plain = cell_of(filled, "Số liệu", "Nguồn số liệu", "Mã chỉ số", "ty_le_vbqppl_duoc_kiem_tra")
    edit(filled, "Văn bản", {title: "Báo cáo <script>alert('x')</script>"})
    edit(filled, "Số liệu", {source: "Nguồn {{ 7*7 }}", plain: "tỷ lệ < 80 %, a < b, {ghi chú}"})
    edit(filled, "Thông tin", {"B3": "Tỉnh <b>Thử</b>"})
    problems = refused(filled)
    assert len(problems) == 3, problems
    assert any(
        p.startswith(
            f"Tệp '{filled}', Sheet 'Văn bản', dòng {title[1:]}, cột 'Trích yếu': chứa thẻ HTML hoặc cú pháp mẫu (template) '<script'"
        )
        for p in problems
    ), problems
    assert any(
        p.startswith(
            f"Tệp '{filled}', Sheet 'Số liệu', dòng {source[1:]}, cột 'Nguồn số liệu': chứa thẻ HTML hoặc cú pháp mẫu (template) '{{{{'"
        )
        for p in problems
    ), problems
    assert any(
        p.startswith(f"Tệp '{filled}', Sheet 'Thông tin', dòng 3, cột 'Giá trị': chứa thẻ HTML") for p in problems
    ), problems
    done = run("score", str(filled), "--out", str(tmp_path / "kq"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert (
        f"Sheet 'Văn bản', dòng {title[1:]}, cột 'Trích yếu': chứa thẻ HTML hoặc cú pháp mẫu (template) '<script'"
        in done.stderr
    )
    assert not (tmp_path / "kq").exists()


def test_missing_sheet_and_missing_column(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(filled)
    del wb["Không phát sinh"]
    metrics = wb["Số liệu"]
    metrics.delete_cols(_columns(metrics)["Mẫu số"])
    wb.save(filled)
    problems = refused(filled)
    assert any(p.startswith(f"Tệp '{filled}', Sheet 'Không phát sinh': thiếu sheet") for p in problems)
    assert f"Tệp '{filled}', Sheet 'Số liệu', dòng 1, cột 'Mẫu số': thiếu cột bắt buộc" in problems


def test_unknown_column_and_data_without_header(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(filled)
    ws = wb["Giải trình"]
    ws.cell(row=1, column=ws.max_column + 1).value = "Điểm đề xuất"
    ws.cell(row=5, column=ws.max_column + 2).value = "ghi chú lạc"
    wb.save(filled)
    problems = refused(filled)
    assert any("Sheet 'Giải trình', dòng 1, cột 'Điểm đề xuất': cột không có trong mẫu" in p for p in problems)


def test_formula_cell_without_a_cached_value_is_refused(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    percent = cell_of(filled, "Số liệu", "Tỷ lệ (%)", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_tuyen_truyen")
    edit(filled, "Số liệu", {percent: "=39/40*100"})  # openpyxl stores no cached value: nothing was computed
    assert refused(filled) == [
        f"Tệp '{filled}', Sheet 'Số liệu', dòng {percent[1:]}, cột 'Tỷ lệ (%)': ô chứa công thức chưa có giá trị đã tính; "
        "hãy nhập giá trị trực tiếp (hoặc mở tệp bằng Excel và lưu lại)"
    ]


def test_formula_cell_with_a_cached_value_uses_the_value(small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "t.xlsx")
    percent = cell_of(filled, "Số liệu", "Tỷ lệ (%)", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_tuyen_truyen")
    edit(filled, "Số liệu", {percent: "=39/40*100"})
    # What a spreadsheet program saves: the formula and its computed value side by side.
    with zipfile.ZipFile(filled) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/") and b"39/40*100" in parts[n])
    parts[name] = (
        parts[name]
        .replace(b"<f>39/40*100</f><v></v>", b"<f>39/40*100</f><v>97.5</v>")
        .replace(b"<f>39/40*100</f><v />", b"<f>39/40*100</f><v>97.5</v>")
    )
    if b"<v>97.5</v>" not in parts[name]:
        parts[name] = parts[name].replace(b"<f>39/40*100</f>", b"<f>39/40*100</f><v>97.5</v>")
    with zipfile.ZipFile(filled, "w") as archive:
        for member, data in parts.items():
            archive.writestr(member, data)
    metric = next(m for m in load_bundle(filled).metrics if m.indicator == "ty_le_hoan_thanh_ke_hoach_tuyen_truyen")
    assert metric.percent == Decimal("97.5")


def test_not_a_workbook_and_doctype_are_refused(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("không phải zip", encoding="utf-8")
    assert "không phải tệp Excel .xlsx hợp lệ" in refused(fake)[0]
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Types/>')
    assert "DOCTYPE" in refused(hostile)[0]


# ---- merge -----------------------------------------------------------------------------------------------------
def _agency_parts(catalogue, small: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """The small bundle split the way agencies send it: Sở Nội vụ's and Sở Tư pháp's workbooks (both carrying the
    shared documents), and a YAML part with the other agencies' figures and the giải trình."""
    from par_score.evidence.model import BundlePart

    bundle = load_bundle(small)
    shared = {"bc-cchc-nam-2024"}
    paths = []
    answered: set[str] = set()
    for agency, prefix, name in (("Sở Nội vụ", "1.", "snv"), ("Sở Tư pháp", "2.", "stp")):
        template = tmp_path / f"mau-{name}.xlsx"
        build_template(catalogue, agency).save(template)
        keys = {e.input_key[1] for e in catalogue.leaves if e.agency == agency}
        answered |= keys
        part = bundle.model_copy(
            update={
                "documents": [d for d in bundle.documents if set(d.topics) & keys or d.id in shared],
                "metrics": [m for m in bundle.metrics if m.indicator in keys],
                "not_applicable": [n for n in bundle.not_applicable if n.criterion.startswith(prefix)],
                "survey": [s for s in bundle.survey if s.item.startswith(prefix)],
                "explanations": [],
            }
        )
        paths.append(fill_workbook(template, part, tmp_path / f"{name}.xlsx"))
    rest = tmp_path / "con-lai.yaml"
    others = BundlePart(
        metrics=[m for m in bundle.metrics if m.indicator not in answered], explanations=bundle.explanations
    )
    assert others.metrics  # 8.3.5 belongs to Sở Tài chính
    rest.write_text(bundle_yaml(others), encoding="utf-8")
    return paths[0], paths[1], rest


def test_merge_of_agency_workbooks_scores_like_the_whole_bundle(scorer, catalogue, small, tmp_path):
    snv, stp, rest = _agency_parts(catalogue, small, tmp_path)
    out = tmp_path / "tinh.yaml"
    done = run("merge", str(snv), str(stp), str(rest), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Đã gộp 2 bản ghi trùng lặp giống hệt nhau" in done.stdout  # bc-cchc-nam-2024 and qd-thi-dua, sent by both
    text = out.read_text(encoding="utf-8")
    assert "numerator: 47\n" in text and "percent: 97.5\n" in text and "value: -0.35\n" in text
    assert "issue_date: 2023-12-25\n" in text
    merged = scorer.score(load_bundle(out))
    whole = scorer.score(load_bundle(small))
    # The same scores; each figure from an agency's workbook now also names that agency and where it was read.
    named = {c.code: c.contributions for c in merged.criteria if c.contributions}
    assert named["1.1.2"][0].contributor == "Sở Nội vụ" and "snv.xlsx, Sheet 'Số liệu', dòng" in named["1.1.2"][0].where
    assert named["2.3.1"][0].contributor == "Sở Tư pháp"
    unnamed = json.loads(merged.to_json())
    for leaf in unnamed["criteria"]:
        leaf.pop("contributions", None)
    assert unnamed == json.loads(whole.to_json())
    again = run("merge", str(snv), str(stp), str(rest), "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr


def test_merge_refuses_conflicts_naming_both_sources(catalogue, small, tmp_path):
    snv, stp, rest = _agency_parts(catalogue, small, tmp_path)
    other = tmp_path / "snv-2.yaml"
    other.write_text(
        """\
format: par-score/evidence@1
documents:
  - {id: bc-cchc-nam-2024, kind: bao_cao, number: "999/BC-UBND", issuer: "UBND tỉnh Thử", issue_date: 2024-12-12, title: "Báo cáo kết quả CCHC năm 2024"}
metrics:
  - {indicator: ty_le_hoan_thanh_ke_hoach_cchc, numerator: 46, denominator: 48, period: "2024", source: "Báo cáo CCHC năm 2024", documents: [bc-cchc-nam-2024]}
not_applicable:
  - {criterion: "1.3.2", reason: "Lý do khác"}
""",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        merge_paths([snv, other], tmp_path)
    problems = [p.render() for p in caught.value.problems]
    metric_row = cell_of(snv, "Số liệu", "Tử số", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_cchc")[1:]
    na_row = cell_of(snv, "Không phát sinh", "Lý do không phát sinh", "Mã tiêu chí", "1.3.2")[1:]
    assert (
        f"chỉ số 'ty_le_hoan_thanh_ke_hoach_cchc' được khai báo hai lần với số liệu khác nhau (khác ở: 'Tử số'): "
        f"'{snv}' (Sheet 'Số liệu', dòng {metric_row}) và '{other}' (metrics #1)"
    ) in problems
    assert any(
        p.startswith("tiêu chí 1.3.2 được khai báo không phát sinh hai lần")
        and f"'{snv}' (Sheet 'Không phát sinh', dòng {na_row})" in p
        and f"'{other}' (not_applicable #1)" in p
        for p in problems
    )
    assert any(
        p.startswith("mã văn bản 'bc-cchc-nam-2024' được dùng cho hai văn bản khác nhau (khác ở: 'Số, ký hiệu')")
        for p in problems
    )
    done = run("merge", str(snv), str(other), "--out", str(tmp_path / "x.yaml"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(other) in done.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_merge_refuses_a_different_unit_or_year(catalogue, small, tmp_path):
    snv, stp, _ = _agency_parts(catalogue, small, tmp_path)
    edit(stp, "Thông tin", {"B2": "tinh-khac", "B5": 2025})
    with pytest.raises(InputError) as caught:
        merge_paths([snv, stp], tmp_path)
    problems = [p.render() for p in caught.value.problems]
    assert any(p.startswith("đơn vị khác nhau: 'Tỉnh Thử' (tinh-thu, cấp tỉnh)") and str(stp) in p for p in problems)
    assert (
        f"năm đánh giá khác nhau: '2024' ở '{snv}' (Sheet 'Thông tin', dòng 5) và '2025' ở '{stp}' (Sheet 'Thông tin', dòng 5)"
        in problems
    )


def test_identical_duplicates_merge_silently(tmp_path, small):
    copy = tmp_path / "ban-sao.yaml"
    copy.write_text(small.read_text(encoding="utf-8"), encoding="utf-8")
    merged = merge_paths([small, copy], tmp_path)
    assert merged.duplicates == sum(
        len(getattr(load_bundle(small), s))
        for s in ("documents", "metrics", "not_applicable", "survey", "explanations")
    )
    assert merged.part.documents == load_bundle(small).documents


def test_merged_attachment_paths_follow_the_output_folder(tmp_path, small):
    out_dir = tmp_path.parent
    merged = merge_paths([small], out_dir)
    assert merged.part.documents[0].file.path == f"{tmp_path.name}/files/kh.pdf"
    with pytest.raises(InputError) as caught:
        merge_paths([small], tmp_path / "khac")
    assert "nằm ngoài thư mục của bộ hợp nhất" in caught.value.problems[0].message


def test_bundle_yaml_round_trips_exactly(small):
    bundle = load_bundle(small)
    from par_score.evidence.model import BundlePart

    part = BundlePart(
        unit=bundle.unit,
        year=bundle.year,
        catalogue=bundle.catalogue,
        documents=bundle.documents,
        metrics=bundle.metrics,
        not_applicable=bundle.not_applicable,
        survey=bundle.survey,
        explanations=bundle.explanations,
    )
    text = bundle_yaml(part)
    data = yaml.safe_load(text)
    assert data["metrics"][2]["numerator"] == 0.3 and "numerator: 0.3\n" in text


# ---- agency preview ------------------------------------------------------------------------------------------------
def test_agency_preview_shows_its_points_its_missing_criteria_and_nothing_as_zero(scorer, small):
    result = scorer.score(load_bundle(small), agency="Sở Tư pháp")
    own = [c for c in result.criteria if c.status != "out_of_scope"]
    assert {c.code.split(".")[0] for c in own} == {"2", "7"}  # 7.4.3: led by Sở Tư pháp in the reference catalogue
    assert result.totals.self_.declared_max == sum(c.max for c in own if c.source == "self")
    text = score_table(result)
    assert "Phần của Sở Tư pháp:" in text
    assert (
        f"Phần của Sở Tư pháp: {vn(result.totals.self_.points)}/{vn(result.totals.self_.max)} điểm tự đánh giá" in text
    )
    assert "Còn thiếu tài liệu kiểm chứng" in text
    missing = [c for c in own if c.status == "missing_evidence"]
    assert missing and all(f"  - {c.code} {c.name}: cần {c.required_evidence}" in text for c in missing)
    for line in text.splitlines():
        if line.startswith(("1   ", "3   ", "4   ", "5   ", "6   ")):
            assert "ngoài phạm vi" in line and "0 / " not in line
    assert "1.1.2" not in text and "3.1.1" not in text


def test_whole_province_output_has_no_agency_section(scorer, small):
    text = score_table(scorer.score(load_bundle(small)))
    assert "Phần của" not in text and "ngoài phạm vi" not in text


# ---- export --------------------------------------------------------------------------------------------------------
INJECTIONS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def test_export_never_writes_a_formula(scorer, small, tmp_path):
    data = yaml.safe_load(small.read_text(encoding="utf-8"))
    data["documents"][0]["title"] = INJECTIONS[1]
    data["documents"][0]["locator"] = INJECTIONS[3]
    data["explanations"] = [
        {"criterion": code, "text": text}
        for code, text in zip(("1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.5.1", "1.6.1"), INJECTIONS, strict=False)
    ]
    source = tmp_path / "tiem.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = scorer.score(load_bundle(source))
    path = tmp_path / "ket-qua.xlsx"
    build_export(result).save(path)
    wb = openpyxl.load_workbook(path)
    cells = [cell for ws in wb for row in ws.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for payload in INJECTIONS:  # (records are stripped of surrounding whitespace on reading)
        assert any(payload.strip() in t for t in texts), payload
    starts = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert starts and all(c.quotePrefix for c in starts)
    # and in the raw XML no <f> element at all
    with zipfile.ZipFile(path) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_export_table_numbers_and_agency_scope(scorer, small, tmp_path):
    result = scorer.score(load_bundle(small), agency="Sở Tư pháp")
    path = tmp_path / "stp.xlsx"
    build_export(result).save(path)
    ws = openpyxl.load_workbook(path)["Kết quả chấm điểm"]
    rows = {row[0].value: row for row in ws.iter_rows() if row[0].value}
    assert rows["Mã"][1].value == "Nội dung"
    assert rows["2.1.2"][3].value == 1 and rows["2.1.2"][3].data_type == "n"
    assert rows["2.2.1"][4].value == 0.25 and rows["2.2.1"][4].number_format == "#,##0.00##"
    assert rows["1"][4].value == "ngoài phạm vi" and rows["1.1.2"][4].value == "ngoài phạm vi"
    assert rows["1.1"][4].value == "ngoài phạm vi"
    assert rows["2"][3].value == 9.5


def test_export_command_from_a_saved_result(small, tmp_path):
    out = tmp_path / "kq"
    assert run("score", str(small), "--out", str(out)).returncode == 0
    target = tmp_path / "bang-diem.xlsx"
    done = run("export", str(out / "ket-qua.json"), "--out", str(target))
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(target)["Kết quả chấm điểm"]["A1"].value.startswith("Kết quả tự đánh giá")
    assert run("export", str(out / "ket-qua.json"), "--out", str(target)).returncode == 2
    assert run("export", str(out / "ket-qua.json"), "--out", str(target), "--force").returncode == 0


def test_template_command(tmp_path):
    target = tmp_path / "mau-stp.xlsx"
    done = run("template", "--agency", "Sở Tư pháp", "--out", str(target))
    assert done.returncode == 0, done.stderr
    assert "11 tiêu chí" in done.stdout
    assert run("template", "--out", str(target)).returncode == 2
    bad = run("template", "--agency", "Sở Không Có", "--out", str(tmp_path / "x.xlsx"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert run("template", "--out", str(tmp_path / "x.csv")).returncode == 2


# ---- spreadsheet programs ------------------------------------------------------------------------------------------
def test_escape_like_text_is_written_literal_and_read_back(catalogue, tmp_path):
    """'_xa_' in 'ty_le_…_cap_xa_dat_chuan' is an OOXML escape to LibreOffice (a newline): written as '_x005F_xa_'."""
    path = tmp_path / "mau.xlsx"
    build_template(catalogue).save(path)
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"cap_x005F_xa_dat_chuan" in xml and b"cap_xa_dat_chuan" not in xml
    wb = openpyxl.load_workbook(path)
    ws = wb["Số liệu"]
    cols = _columns(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=cols["Mã tiêu chí"]).value == "5.7.1")
    ws.cell(row=row, column=cols["Tử số"]).value = 9
    ws.cell(row=row, column=cols["Mẫu số"]).value = 10
    info = wb["Thông tin"]
    info["B2"], info["B3"] = "tinh-thu", "Tỉnh Thử"
    wb.save(path)
    bundle = load_bundle(path)
    assert [m.indicator for m in bundle.metrics] == ["ty_le_can_bo_cong_chuc_cap_xa_dat_chuan"]
    from par_score.evidence.workbook.reader import Cell, convert

    # …and the same code as LibreOffice hands it back after a second opening: "_xa_" decoded to a newline
    assert convert("id", Cell("ty_le_can_bo_cong_chuc_cap\ndat_chuan")) == "ty_le_can_bo_cong_chuc_cap_xa_dat_chuan"


def test_a_workbook_saved_twice_by_libreoffice_scores_like_the_yaml(scorer, small, template, tmp_path):
    filled = as_workbook(small, template, tmp_path / "tinh-thu.xlsx")
    percent = cell_of(filled, "Số liệu", "Tỷ lệ (%)", "Mã chỉ số", "ty_le_hoan_thanh_ke_hoach_tuyen_truyen")
    edit(filled, "Số liệu", {percent: "=39/40*100"})  # LibreOffice computes and stores 97.5
    current = filled
    for n in (1, 2):
        out = tmp_path / f"lo{n}"
        done = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                "--headless",
                "--calc",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(current),
            ],
            capture_output=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        current = out / filled.name
    resaved = tmp_path / "tinh-thu-lo.xlsx"
    resaved.write_bytes(current.read_bytes())
    _same_result(scorer, small, resaved)


def test_a_doctype_hidden_behind_a_long_comment_is_refused(small, template, tmp_path):
    import zipfile

    filled = as_workbook(small, template, tmp_path / "tinh-thu.xlsx")
    hostile = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                declaration, _, rest = data.partition(b"?>")
                data = declaration + b"?><!--" + b"x" * 20000 + b'--><!DOCTYPE w [<!ENTITY e "e">]>' + rest
            target.writestr(item, data)
    done = run("score", str(hostile), "--out", str(tmp_path / "kq"))
    assert done.returncode == 2 and "DOCTYPE/ENTITY" in done.stderr
    assert not (tmp_path / "kq").exists()
