"""The Word report (`--format docx`): read back with python-docx (page setup, named styles, the same tables and
figures as the HTML/PDF, columns that add up), and converted to PDF by LibreOffice headless as an office would open it."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from clirun import run_main
from docx.enum.section import WD_ORIENT
from reportread import flat, page_text, pdf_pages, table_rows, tool

from par_score.io.resources import example_bundle
from par_score.outputs.report.checks import printed_number

NBSP = "\u00a0"


def render(out: Path, bundle: Path, *extra: str) -> None:
    ran = run_main("report", str(bundle), "--format", "all", *extra, "--out", str(out))
    assert ran.code == 0, ran.err


def libreoffice_pdf(document: Path, folder: Path) -> Path:
    soffice = tool("soffice")
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(document),
        ],
        capture_output=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return folder / (document.stem + ".pdf")


@pytest.fixture(scope="module")
def tay_ninh(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    render(out, example_bundle())
    path = out / "bao-cao-tu-cham-diem.docx"
    return dict(
        out=out,
        path=path,
        document=docx.Document(str(path)),
        html=(out / "bao-cao-tu-cham-diem.html").read_text(encoding="utf-8"),
        pdf=out / "bao-cao-tu-cham-diem.pdf",
        lo=libreoffice_pdf(path, out / "lo"),
    )


def cells(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        texts = []
        previous = None
        for cell in row.cells:  # a merged cell is returned once per grid column: keep it once, then blanks
            texts.append("" if cell._tc is previous else cell.text.replace(NBSP, " "))
            previous = cell._tc
        rows.append(texts)
    return rows


def squeeze(text: str) -> str:
    return "".join(text.split())


def by_code(table) -> dict[str, list[str]]:
    return {row[0]: row for row in cells(table)}


def test_page_setup_follows_nd30(tay_ninh):
    letter, annex = tay_ninh["document"].sections
    assert (round(letter.page_width.mm), round(letter.page_height.mm)) == (210, 297)
    assert letter.orientation == WD_ORIENT.PORTRAIT
    assert [
        round(m.mm) for m in (letter.top_margin, letter.right_margin, letter.bottom_margin, letter.left_margin)
    ] == [
        20,
        15,
        20,
        30,
    ]
    assert (round(annex.page_width.mm), round(annex.page_height.mm)) == (297, 210)
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert [round(m.mm) for m in (annex.top_margin, annex.right_margin, annex.bottom_margin, annex.left_margin)] == [
        25,
        20,
        20,
        30,
    ]
    assert letter.different_first_page_header_footer and annex.different_first_page_header_footer
    styles = tay_ninh["document"].styles
    assert styles["Normal"].font.name == "Times New Roman"
    assert 13 <= styles["PS Đoạn văn"].font.size.pt <= 14


def test_paragraphs_take_named_styles_not_direct_formatting(tay_ninh):
    document = tay_ninh["document"]
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    assert {p.style.name for p in paragraphs if p.text.strip()} <= {
        s.name for s in document.styles if s.name.startswith("PS ")
    }
    for paragraph in paragraphs:
        for run in paragraph.runs:
            assert run.font.size is None and run.font.bold is None and run.font.italic is None, run.text
            assert run.font.underline is None and run.font.name is None, run.text


def test_letter_text_is_the_pdf_letter(tay_ninh):
    text = flat("\n".join(p.text for p in tay_ninh["document"].paragraphs))
    for expected in (
        "BÁO CÁO",
        "Kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm 2024 của tỉnh Tây Ninh",
        "Kính gửi: Bộ Nội vụ.",
        "Thực hiện Công văn số 6826/BNV-CCHC ngày 25/11/2024 của Bộ Nội vụ",
        "Tổng điểm tự đánh giá, chấm điểm của tỉnh Tây Ninh năm 2024 đạt 59,25/62 điểm, tương ứng 95,56 %",
        "II. GIẢI TRÌNH",
        "có 1 kỳ báo cáo gửi trễ hạn, trong khi yêu cầu không có kỳ báo cáo nào gửi trễ hạn",
        "III. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ",
        "Phụ lục",
        "(Kèm theo Báo cáo số 25/BC-UBND ngày 10/01/2025 của Ủy ban nhân dân tỉnh Tây Ninh)",
        "DANH MỤC TÀI LIỆU KIỂM CHỨNG",
    ):
        assert expected in text, expected
    pdf = flat(subprocess.run([tool("pdftotext"), str(tay_ninh["pdf"]), "-"], capture_output=True, text=True).stdout)
    assert "Kính gửi: Bộ Nội vụ." in pdf and "59,25/62 điểm" in pdf


def test_tables_hold_the_same_figures_as_the_html(tay_ninh):
    tables = tay_ninh["document"].tables
    letterhead_and_closing = 2
    areas = next(t for t in tables if t.rows[0].cells[0].text == "TT")
    annex = next(t for t in tables if t.rows[0].cells[0].text == "Mã")
    register = next(t for t in tables if t.rows[0].cells[0].text == "Số TT")
    assert len(tables) >= letterhead_and_closing + 3
    html_areas = table_rows(tay_ninh["html"], "Bảng 1.")
    for code, row in by_code(areas).items():
        if code in html_areas and code not in ("TT", ""):
            assert row[2:] == html_areas[code][2:], code
    html_annex = table_rows(tay_ninh["html"], "Bảng tổng hợp")
    docx_annex = by_code(annex)
    for code, row in html_annex.items():
        if code and code[0].isdigit():
            # figures and citations, whitespace aside (a DOCX cell holds the reason in a paragraph of its own)
            assert [squeeze(c) for c in docx_annex[code][2:-1]] == [squeeze(c) for c in row[2:-1]], code
    assert docx_annex["Tổng cộng"][2:5] == ["62", "38", "59,25"]
    html_register = table_rows(tay_ninh["html"], "DANH MỤC")
    assert [row[0] for row in cells(register)[1:]] == [code for code in html_register if code.startswith("TL")]


def test_docx_columns_add_up(tay_ninh):
    areas = next(t for t in tay_ninh["document"].tables if t.rows[0].cells[0].text == "TT")
    rows = cells(areas)[2:]
    body, total = rows[:-1], rows[-1]
    for column in range(2, 5):
        assert sum((printed_number(row[column]) for row in body), Decimal(0)) == printed_number(total[column])


def test_libreoffice_opens_it_as_the_same_document(tay_ninh):
    lo = tay_ninh["lo"]
    text = flat(subprocess.run([tool("pdftotext"), str(lo), "-"], capture_output=True, text=True).stdout)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 25/BC-UBND",
        "59,25/62 điểm",
        "95,56 %",
        "Trần Minh Quang",
    ):
        assert expected in text, expected
    assert "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM" in text and "TL67" in text
    fonts = subprocess.run([tool("pdffonts"), str(lo)], capture_output=True, text=True).stdout
    assert "LiberationSerif" in fonts or "TimesNewRoman" in fonts, fonts
    assert abs(pdf_pages(lo) - pdf_pages(tay_ninh["pdf"])) <= 3  # the same document, laid out by another engine
    sizes = subprocess.run(
        [tool("pdfinfo"), "-f", "1", "-l", str(pdf_pages(lo)), str(lo)], capture_output=True, text=True
    ).stdout
    shapes = {float(w) > float(h) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+)", sizes)}
    assert shapes == {False, True}  # portrait letter, landscape annex


def test_a_draft_docx_is_stamped_on_every_page(tmp_path):
    render(tmp_path, example_bundle("tien-giang-2024.yaml"))
    lo = libreoffice_pdf(tmp_path / "bao-cao-tu-cham-diem.docx", tmp_path / "lo")
    for page in range(1, pdf_pages(lo) + 1):
        assert "DỰ THẢO" in page_text(lo, page), f"page {page}"


def test_docx_is_deterministic(tay_ninh, tmp_path):
    render(tmp_path, example_bundle())
    assert (tmp_path / "bao-cao-tu-cham-diem.docx").read_bytes() == tay_ninh["path"].read_bytes()
