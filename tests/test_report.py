"""The self-assessment report: `par-score report` on the example bundle, and a small hostile bundle.

Each PDF is rendered once per module (WeasyPrint takes seconds); its text and fonts are read with poppler-utils
(pdftotext, pdffonts), as a reviewer would.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from par_score.cli import main
from par_score.evidence import load_bundle
from par_score.numbers import vn, vn_percent
from par_score.outputs.report import render_html, render_pdf, uncovered_characters, vn_date
from par_score.resources import example_bundle
from par_score.results import ScoreResult
from par_score.scoring import Scorer
from par_score.catalogue import load_catalogue

HOSTILE_TITLE = "Kế hoạch <script>alert('x')</script> {{ 7*7 }} {% if 1 %}khối{% endif %} & “trích dẫn”"

HEADINGS = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "BÁO CÁO",
    "Kính gửi: Bộ Nội vụ",
    "I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM",
    "II. GIẢI TRÌNH",
    "III. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ",
    "Nơi nhận:",
    "TM. ỦY BAN NHÂN DÂN",
    "Phụ lục",
    "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ",
)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install Debian's poppler-utils (apt-get install poppler-utils)")
    return path


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", *pages, str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


def has_code(text: str, code: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(code)}(?!\.?\d)", text) is not None


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The README's main command on the example bundle: PDF + HTML + ket-qua.json, WeasyPrint's warnings captured."""
    out = tmp_path_factory.mktemp("report")
    collector = _Warnings()
    logging.getLogger("weasyprint").addHandler(collector)
    try:
        code, stdout, stderr = run_cli(["report", str(example_bundle()), "--out", str(out)])
    finally:
        logging.getLogger("weasyprint").removeHandler(collector)
    assert code == 0, stderr
    result = ScoreResult.model_validate(json.loads((out / "ket-qua.json").read_text(encoding="utf-8")))
    pdf = out / "bao-cao-tu-cham-diem.pdf"
    return dict(
        out=out,
        result=result,
        pdf=pdf,
        text=flat(pdf_text(pdf)),
        html=(out / "bao-cao-tu-cham-diem.html").read_text(encoding="utf-8"),
        warnings=collector.messages,
        stdout=stdout,
        stderr=stderr,
    )


def write_hostile_bundle(folder: Path) -> Path:
    path = folder / "bundle.yaml"
    path.write_text(
        "format: par-score/evidence@1\n"
        "unit: {code: thu-nghiem, name: \"Tỉnh Thử Nghiệm\", level: tinh}\n"
        "year: 2024\n"
        "documents:\n"
        "  - id: kh-cchc\n"
        "    kind: quyet_dinh\n"
        "    number: \"12/QĐ-UBND\"\n"
        "    issuer: \"UBND tỉnh <b>Thử Nghiệm</b>\"\n"
        "    issue_date: 2023-12-20\n"
        f"    title: {json.dumps(HOSTILE_TITLE, ensure_ascii=False)}\n"
        "    topics: [ke_hoach_cchc_nam]\n"
        "    locator: \"Mục {{ config }}\"\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A bundle without a report section whose texts try to inject markup and template code."""
    folder = tmp_path_factory.mktemp("hostile")
    bundle = load_bundle(write_hostile_bundle(folder))
    result = Scorer(load_catalogue(None)).score(bundle)
    html = render_html(result, bundle.report)
    rendered = render_pdf(html)
    pdf = folder / "bao-cao.pdf"
    pdf.write_bytes(rendered.data)
    return dict(result=result, html=html, warnings=rendered.warnings, pdf=pdf, text=flat(pdf_text(pdf)))


# ---- the example report -------------------------------------------------------------------------------------------
def test_writes_report_result_and_audit_trail(example):
    names = sorted(p.name for p in example["out"].iterdir())
    assert names == ["bao-cao-tu-cham-diem.html", "bao-cao-tu-cham-diem.pdf", "ket-qua.json", "manifest.json", "trace.jsonl"]
    manifest = json.loads((example["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert "bao-cao-tu-cham-diem.pdf" in json.dumps(manifest)
    assert example["pdf"].read_bytes().startswith(b"%PDF-")


def test_no_weasyprint_warnings_and_no_missing_glyphs(example):
    assert example["warnings"] == []
    assert "Cảnh báo" not in example["stderr"]
    assert uncovered_characters(example["html"]) == []


@pytest.mark.parametrize("heading", HEADINGS)
def test_pdf_holds_heading(example, heading):
    assert heading in example["text"]


def test_letter_details_come_from_the_report_section(example):
    text = example["text"]
    assert "Số: 25/BC-UBND" in text
    assert "Tây Ninh, ngày 10 tháng 01 năm 2025" in text
    assert "ỦY BAN NHÂN DÂN TỈNH TÂY NINH" in text
    assert (
        "Kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm 2024 của tỉnh Tây Ninh" in text
    )
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Trần Minh Quang" in text
    assert "- Vụ Cải cách hành chính - Bộ Nội vụ;" in text
    assert "(Kèm theo Báo cáo số 25/BC-UBND ngày 10/01/2025 của Ủy ban nhân dân tỉnh Tây Ninh)" in text


def test_pdf_holds_every_code(example):
    result, text = example["result"], example["text"]
    codes = [leaf.code for leaf in result.criteria]
    codes += [node.code for area in result.areas for node in [area, *area.criteria]]
    missing = [code for code in codes if not has_code(text, code)]
    assert missing == []


def test_pdf_holds_the_totals_of_ket_qua_json(example):
    result, text = example["result"], example["text"]
    t = result.totals
    assert f"{vn(t.self_.points)}/{vn(t.self_.max)} điểm" in text
    assert vn_percent(t.self_pct) in text
    assert f"({vn(t.survey.max)} điểm) do Bộ Nội vụ đánh giá" in text
    layout = subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", "-l", "3", str(example["pdf"]), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    for area in result.areas:
        row = rf"^\s*{area.code}\s.*\s{re.escape(vn(area.self_max))}\s+{re.escape(vn(area.self_points))}\s+{re.escape(vn_percent(area.pct))}"
        assert re.search(row, layout, re.MULTILINE), f"area {area.code} row not found"
    total = rf"Tổng cộng\s+{re.escape(vn(t.self_.max))}\s+{re.escape(vn(t.self_.points))}\s+{re.escape(vn_percent(t.self_pct))}"
    assert re.search(total, layout)


def test_every_leaf_needing_explanation_is_in_section_two(example):
    text = example["text"]
    section = text[text.index("II. GIẢI TRÌNH") : text.index("III. KHÓ KHĂN")]
    needing = [leaf for leaf in example["result"].criteria if leaf.status in ("missing_evidence", "zero", "partial")]
    assert needing, "the example should show the giải trình section at work"
    for leaf in needing:
        assert f"{leaf.code}. {leaf.name}" in section
    for leaf in needing:
        if leaf.explanation:
            assert flat(leaf.explanation)[:60] in section


def test_difficulties_and_proposals_are_printed(example):
    bundle = load_bundle(example_bundle())
    text = example["text"]
    for item in [*bundle.report.difficulties, *bundle.report.proposals]:
        assert flat(item)[:80] in text


def test_fonts_are_the_embedded_serif(example):
    out = subprocess.run([_tool("pdffonts"), str(example["pdf"])], capture_output=True, check=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        assert "DejaVu" not in row, out
        assert re.search(r"Liberation-Serif|Times", row), out
        assert row.split()[-5] == "yes", f"font not embedded: {row}"


def test_page_numbers_from_page_two_and_annex_numbered_separately(example):
    first = pdf_text(example["pdf"], 1, 1).split()
    second = pdf_text(example["pdf"], 2, 2).split()
    assert first[0] != "1"
    assert second[0] == "2"
    pages = subprocess.run(["pdfinfo", str(example["pdf"])], capture_output=True, text=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", pages).group(1))
    annex_start = next(p for p in range(1, count + 1) if "BẢNG TỔNG HỢP" in pdf_text(example["pdf"], p, p))
    assert pdf_text(example["pdf"], annex_start, annex_start).split()[0] == "Phụ"
    if annex_start < count:
        assert pdf_text(example["pdf"], annex_start + 1, annex_start + 1).split()[0] == "2"


def test_survey_rows_say_who_scores_them(example):
    text = example["text"]
    for leaf in example["result"].criteria:
        if leaf.status == "survey_pending":
            assert re.search(rf"{re.escape(leaf.code)} {re.escape(leaf.name[:20])}.*?do Bộ Nội vụ đánh giá", text)


def test_html_twin_holds_the_same_codes_and_totals(example):
    html, result = example["html"], example["result"]
    text = flat(re.sub(r"<[^>]+>", " ", html))
    for leaf in result.criteria:
        assert has_code(text, leaf.code)
    t = result.totals
    assert f"{vn(t.self_.points)}/{vn(t.self_.max)} điểm" in text
    assert vn_percent(t.self_pct) in text
    assert "<script" not in html.lower()
    assert unicodedata.normalize("NFC", html) == html
    urls = re.findall(r"(?:src|href|url)\s*[=(]\s*[\"']?([^\"')\s>]+)", html)
    assert urls and all(u.startswith("file://") and u.endswith(".ttf") for u in urls), urls
    assert "<svg" in html and "Lĩnh vực 8" in html


def test_existing_outputs_are_refused_before_any_work(example):
    pdf = example["pdf"]
    before = pdf.stat().st_mtime_ns
    code, _, stderr = run_cli(["report", str(example_bundle()), "--out", str(example["out"]), "--format", "pdf"])
    assert code == 2
    assert "--force" in stderr
    assert pdf.stat().st_mtime_ns == before


def test_force_overwrites_and_html_only_skips_the_pdf(tmp_path):
    (tmp_path / "bao-cao-tu-cham-diem.html").write_text("cũ", encoding="utf-8")
    args = ["report", str(example_bundle()), "--out", str(tmp_path), "--format", "html"]
    assert run_cli(args)[0] == 2
    code, stdout, _ = run_cli([*args, "--force"])
    assert code == 0
    assert "bao-cao-tu-cham-diem.pdf" not in [p.name for p in tmp_path.iterdir()]
    assert "BẢNG TỔNG HỢP" in (tmp_path / "bao-cao-tu-cham-diem.html").read_text(encoding="utf-8")


# ---- hostile texts, no report section -----------------------------------------------------------------------------
def test_evidence_text_prints_literally(hostile):
    assert hostile["warnings"] == ()
    assert "<script>" not in hostile["html"]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in hostile["html"]
    assert "<b>Thử Nghiệm</b>" not in hostile["html"]
    text = hostile["text"]
    assert "<script>alert('x')</script> {{ 7*7 }} {% if 1 %}khối{% endif %} & “trích dẫn”" in text
    assert "UBND tỉnh <b>Thử" in text and "Nghiệm</b>" in text  # the table cell wraps between the two words
    assert "Vị trí: Mục {{ config }}" in text


def test_placeholders_without_a_report_section(hostile):
    text = hostile["text"]
    assert "Số: …/BC-UBND" in text
    assert "Thử Nghiệm, ngày … tháng … năm …" in text
    assert "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM" in text
    assert "(chưa có nội dung)" in text
    assert "- Bộ Nội vụ;" in text and "- Lưu: VT." in text


def test_missing_evidence_without_explanation_is_visible(hostile):
    text = hostile["text"]
    section = text[text.index("II. GIẢI TRÌNH") : text.index("III. KHÓ KHĂN")]
    missing = [leaf for leaf in hostile["result"].criteria if leaf.status == "missing_evidence"]
    assert missing
    for leaf in missing:
        assert f"{leaf.code}. {leaf.name}" in section
    assert section.count("Giải trình: chưa có giải trình") >= len(missing)


def test_hostile_pdf_fonts(hostile):
    out = subprocess.run([_tool("pdffonts"), str(hostile["pdf"])], capture_output=True, check=True, text=True).stdout
    assert "DejaVu" not in out


# ---- formatting ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2025, 1, 5), "ngày 05 tháng 01 năm 2025"),
        (dt.date(2025, 2, 28), "ngày 28 tháng 02 năm 2025"),
        (dt.date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
        (dt.date(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
        (None, "ngày … tháng … năm …"),
    ],
)
def test_vn_date(day, text):
    assert vn_date(day) == text


def test_uncovered_characters_are_reported():
    assert uncovered_characters("Tiếng Việt: Ỹ ỵ ≤ 88,54 % — …") == []
    assert sorted(uncovered_characters("ok ✓ 中")) == sorted(["✓", "中"])
