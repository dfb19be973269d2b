"""The self-assessment report: `par-score report` on the example bundle (also with an appraisal file), and a small
hostile bundle.

Each PDF is rendered once per module (WeasyPrint takes seconds); its text and fonts are read with poppler-utils
(pdftotext, pdffonts), as a reviewer would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from reportread import table_rows

from par_score.audit.appraisal import appraise_files
from par_score.catalogue import load_catalogue
from par_score.cli import main
from par_score.evidence import load_bundle
from par_score.evidence.model import ReportInfo, Signer
from par_score.io.resources import example_bundle
from par_score.numbers import vn, vn_percent
from par_score.outputs.report import (
    render_html,
    render_pdf,
    uncovered_characters,
    vn_date,
)
from par_score.outputs.report.appraisal import self_assessed
from par_score.scoring.result import ScoreResult
from par_score.scoring.scorer import Scorer

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
    rendered = render_example(out)
    rendered["result"] = ScoreResult.model_validate(json.loads((out / "ket-qua.json").read_text(encoding="utf-8")))
    return rendered


def render_example(out: Path, *extra: str) -> dict:
    """`par-score report EXAMPLE [extra…] --out OUT` in-process, with WeasyPrint's warnings captured."""
    collector = _Warnings()
    logging.getLogger("weasyprint").addHandler(collector)
    try:
        code, stdout, stderr = run_cli(["report", str(example_bundle()), *extra, "--out", str(out)])
    finally:
        logging.getLogger("weasyprint").removeHandler(collector)
    assert code == 0, stderr
    pdf = out / "bao-cao-tu-cham-diem.pdf"
    return dict(
        out=out,
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
        'unit: {code: thu-nghiem, name: "Tỉnh Thử Nghiệm", level: tinh}\n'
        "year: 2024\n"
        "documents:\n"
        "  - id: kh-cchc\n"
        "    kind: quyet_dinh\n"
        '    number: "12/QĐ-UBND"\n'
        '    issuer: "UBND tỉnh Thử Nghiệm"\n'
        "    issue_date: 2023-12-20\n"
        '    title: "Kế hoạch"\n'
        "    topics: [ke_hoach_cchc_nam]\n"
        '    locator: "Mục 1"\n',
        encoding="utf-8",
    )
    return path


def with_hostile_evidence(result: ScoreResult) -> ScoreResult:
    """Evidence texts that try to inject markup and template code, put into the result itself: the evidence checks
    refuse such text, and the renderer must print it literally all the same."""
    texts = {"issuer": "UBND tỉnh <b>Thử Nghiệm</b>", "title": HOSTILE_TITLE, "locator": "Mục {{ config }}"}
    criteria = [
        leaf.model_copy(update={"evidence": [doc.model_copy(update=texts) for doc in leaf.evidence]})
        for leaf in result.criteria
    ]
    return result.model_copy(update={"criteria": criteria})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A bundle without a report section whose evidence texts try to inject markup and template code."""
    folder = tmp_path_factory.mktemp("hostile")
    bundle = load_bundle(write_hostile_bundle(folder))
    result = with_hostile_evidence(Scorer(load_catalogue(None)).score(bundle))
    assert any(doc.title == HOSTILE_TITLE for leaf in result.criteria for doc in leaf.evidence)
    html = render_html(result, bundle.report)
    rendered = render_pdf(html)
    pdf = folder / "bao-cao.pdf"
    pdf.write_bytes(rendered.data)
    return dict(result=result, html=html, warnings=rendered.warnings, pdf=pdf, text=flat(pdf_text(pdf)))


# ---- the example report -------------------------------------------------------------------------------------------
def test_writes_report_result_and_audit_trail(example):
    names = sorted(p.name for p in example["out"].iterdir())
    assert names == [
        "bao-cao-tu-cham-diem.html",
        "bao-cao-tu-cham-diem.pdf",
        "ket-qua.json",
        "manifest.json",
        "trace.jsonl",
    ]
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
    assert "Kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm 2024 của tỉnh Tây Ninh" in text
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
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", "-l", "3", str(example["pdf"]), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for area in result.areas:
        # Separate columns: self-assessed maximum, survey maximum, self-assessed points, self-assessed percentage.
        cells = [
            vn(area.self_max),
            vn(area.survey_max),
            vn(area.self_points),
            vn_percent(area.self_points / area.self_max * 100),
        ]
        row = rf"^\s*{area.code}\s(?:.*\s)?" + r"\s+".join(re.escape(c) for c in cells)
        assert re.search(row, layout, re.MULTILINE), f"area {area.code} row not found"
    cells = [vn(t.self_.max), vn(t.survey.max), vn(t.self_.points), vn_percent(t.self_pct)]
    assert re.search(r"Tổng cộng\s+" + r"\s+".join(re.escape(c) for c in cells), layout)


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
    rows = table_rows(example["html"], "Bảng tổng hợp")
    pending = [leaf for leaf in example["result"].criteria if leaf.status == "survey_pending"]
    assert pending
    for leaf in pending:
        # maxima (self, survey) | self-assessed points | evidence | notes
        assert rows[leaf.code][2:5] == ["", vn(leaf.max), ""], leaf.code
        assert rows[leaf.code][-1] == "Do Bộ Nội vụ điều tra, đánh giá"
    assert "Do Bộ Nội vụ điều tra, đánh giá" in example["text"]


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
    assert len(urls) == 4 and all(u.startswith("data:font/ttf;base64,") for u in urls), [u[:40] for u in urls]
    assert "file:" not in html and "/work/" not in html and str(Path.home()) not in html
    assert 'class="chart"' in html and "8. Tác động của cải cách hành chính" in html


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


# ---- the same report after thẩm định (report --appraisal) ---------------------------------------------------------
# Three self-scored leaves and one survey item of the example (self-assessed 59,25/62; area 1: 6,25/7, area 7:
# 10,25/11). By hand: 1.1.1 0,25 → 0,5 (round 2 overrides round 1), 7.3.4 0,5 → 0, 4.3.2 stays 0; 1.7 gets 1,8/2.
# Self part 59,25 + 0,25 − 0,5 = 59/62 = 95,16 %; area 1 6,5/7 = 92,86 % (with 1,8 survey points 8,3/9 in the
# annex); area 7 9,75/11 = 88,64 %. Eight survey items are still pending, so no index.
APPRAISAL = """\
format: par-score/appraisal@1
unit: tay-ninh
year: 2024
council: "Hội đồng thẩm định Chỉ số CCHC năm 2024"
date: 2025-03-20
appraisals:
  - {criterion: "1.1.1", points: 0.25, round: 1, appraiser: "Nguyễn Văn A", comment: "Giữ nguyên điểm tự chấm"}
  - {criterion: "1.1.1", points: 0.5, round: 2, appraiser: "Hội đồng thẩm định", comment: "Chấp nhận tài liệu bổ sung"}
  - {criterion: "4.3.2", points: 0, appraiser: "Nguyễn Văn A"}
  - {criterion: "7.3.4", points: 0, appraiser: "Trần Thị B", comment: "Tỷ lệ thực tế thấp hơn báo cáo"}
  - {criterion: "1.7", points: 1.8, appraiser: "Bộ Nội vụ"}
"""
SURVEY_POINTS = {
    "1.7": "1.8",
    "2.6": "3",
    "3.8": "3.5",
    "4.5": "2.5",
    "5.8": "3",
    "6.5": "2",
    "7.6": "3.5",
    "8.1": "8.5",
    "8.2": "5",
}


def layout_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", *pages, str(pdf), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def annex_start(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return next(p for p in range(1, pages + 1) if "BẢNG TỔNG HỢP" in pdf_text(pdf, p, p))


def html_text(html: str) -> str:
    """The HTML's text as read: tags removed (table cells stay apart: the template puts each on its own line)."""
    return flat(re.sub(r"<[^>]+>", "", html))


def write_appraisal(folder: Path, text: str = APPRAISAL) -> Path:
    path = folder / "tham-dinh.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def appraised(tmp_path_factory):
    """`par-score report EXAMPLE --appraisal tham-dinh.yaml`, WeasyPrint's warnings captured."""
    folder = tmp_path_factory.mktemp("appraised")
    appraisal = write_appraisal(folder)
    return dict(folder=folder, appraisal=appraisal, **render_example(folder / "out", "--appraisal", str(appraisal)))


def test_appraised_example_starts_from_the_figures_the_hand_computation_assumes(example):
    result = example["result"]
    assert (vn(result.totals.self_.points), vn(result.totals.self_.max)) == ("59,25", "62")
    assert [vn(result.leaf(c).points) for c in ("1.1.1", "4.3.2", "7.3.4")] == ["0,25", "0", "0,5"]
    assert [(vn(a.self_points), vn(a.self_max)) for a in result.areas if a.code in ("1", "7")] == [
        ("6,25", "7"),
        ("10,25", "11"),
    ]
    assert result.leaf("1.7").status == "survey_pending" and vn(result.leaf("1.7").max) == "2"


def test_appraised_ket_qua_json_is_what_appraise_writes(appraised, tmp_path):
    assert run_cli(["score", str(example_bundle()), "--out", str(tmp_path)])[0] == 0
    code, _, stderr = run_cli(["appraise", str(tmp_path / "ket-qua.json"), str(appraised["appraisal"])])
    assert code == 0, stderr
    written = (appraised["out"] / "ket-qua.json").read_text(encoding="utf-8")
    assert written == (tmp_path / "ket-qua-tham-dinh.json").read_text(encoding="utf-8")
    result = ScoreResult.model_validate_json(written)
    assert result.appraisal is not None and result.totals.self_.points == 59


def test_manifest_records_the_appraisal_file_and_rerun_reproduces_it(appraised):
    manifest = json.loads((appraised["out"] / "manifest.json").read_text(encoding="utf-8"))
    options = manifest["options"]
    assert options["command"] == "report"
    assert options["appraisal"] == str(appraised["appraisal"].resolve())
    assert options["appraisal_sha256"] == hashlib.sha256(appraised["appraisal"].read_bytes()).hexdigest()
    code, stdout, stderr = run_cli(["rerun", str(appraised["out"] / "manifest.json")])
    assert code == 0, stdout + stderr
    assert "giống hệt ket-qua.json" in stdout


def test_rerun_names_a_changed_appraisal_file(tmp_path):
    appraisal = write_appraisal(tmp_path)
    out = tmp_path / "out"
    assert (
        run_cli(
            ["report", str(example_bundle()), "--appraisal", str(appraisal), "--out", str(out), "--format", "html"]
        )[0]
        == 0
    )
    write_appraisal(tmp_path, APPRAISAL.replace("points: 1.8", "points: 1.9"))
    code, stdout, _ = run_cli(["rerun", str(out / "manifest.json")])
    assert code == 1
    assert f"tệp thẩm định '{appraisal.resolve()}': ĐÃ THAY ĐỔI" in stdout
    assert re.search(r"^1\.7\s+1,8\s+1,9\s+\+0,1", stdout, re.MULTILINE)


def test_appraised_report_has_no_weasyprint_warnings(appraised):
    assert appraised["warnings"] == []
    assert "Cảnh báo" not in appraised["stderr"]
    assert uncovered_characters(appraised["html"]) == []
    assert "Thẩm định theo tệp tham-dinh.yaml" in appraised["stdout"]


def test_appraised_letter_says_it_reports_the_appraisal(appraised):
    text = appraised["text"]
    letter = text[: text.index("BẢNG TỔNG HỢP")]
    # Its own kind, number, date and recipient (report.appraisal of the example), not the January letter's.
    assert "Tiếp thu, giải trình kết quả thẩm định Chỉ số cải cách hành chính năm 2024 của tỉnh Tây Ninh" in letter
    assert "Số: 86/BC-UBND" in letter and "Tây Ninh, ngày 02 tháng 4 năm 2025" in letter
    assert "25/BC-UBND" not in letter and "ngày 10 tháng 01 năm 2025" not in letter
    assert "Kính gửi: Bộ Nội vụ." in letter
    assert "I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM VÀ KẾT QUẢ THẨM ĐỊNH" in letter
    assert "II. TIẾP THU, GIẢI TRÌNH" in letter
    assert "đạt 59,25/62 điểm, tương ứng 95,56 % điểm tối đa phần tự đánh giá" in letter
    assert (
        "Sau thẩm định, tổng điểm phần tự đánh giá đạt 59/62 điểm, tương ứng 95,16 % điểm tối đa phần tự đánh giá "
        "(giảm 0,25 điểm so với điểm tự đánh giá)."
    ) in letter
    assert (
        "Phần điều tra xã hội học (38 điểm) do Bộ Nội vụ đánh giá: đã có kết quả của 1/9 tiêu chí (1,8/2 điểm), "
        "các tiêu chí còn lại chưa có kết quả."
    ) in letter
    assert "Chỉ số cải cách hành chính sau thẩm định:" not in letter  # eight survey items are still pending
    assert (
        "Kết quả thẩm định cho điểm 4 tiêu chí, tiêu chí thành phần, trong đó 3 tiêu chí, tiêu chí thành phần có điểm thẩm định khác"
        in letter
    )
    assert "điểm tự đánh giá: 0,25 (đạt một phần); điểm thẩm định: 0,5." in letter
    assert "Ý kiến thẩm định (Trần Thị B): Tỷ lệ thực tế thấp hơn báo cáo." in letter
    assert "kính gửi Bộ Nội vụ xem xét, tổng hợp./." in letter
    assert "tham-dinh.yaml" not in text  # the appraisal file is named in the manifest and the PDF metadata only


def test_appraised_areas_table_has_self_appraised_survey_and_final_columns(appraised):
    rows = table_rows(appraised["html"], "Bảng 1.")
    # TT, Lĩnh vực | maxima: self, survey | points: self, appraised, survey (Bộ Nội vụ), total | percentage
    assert rows["1"][2:] == ["7", "2", "6,25", "6,5", "1,8", "8,3", "92,86 %"]
    assert rows["7"][2:] == ["11", "4", "10,25", "9,75", "chưa có", "chưa có", "88,64 %"]
    assert rows["2"][2:] == ["6", "3,5", "6", "6", "chưa có", "chưa có", "100,00 %"]
    # The appraised column sums to its total (6,5 + 6 + 11,25 + 5,5 + 8 + 7 + 9,75 + 5 = 59): the 1,8 survey
    # points of area 1 stand in the survey column, never in the appraised one.
    assert rows["Tổng cộng"][2:] == ["62", "38", "59,25", "59", "chưa có", "chưa có", "95,16 %"]
    assert "Điểm tối đa Điểm đạt" in appraised["text"]


def test_appraised_annex_has_the_appraised_column(appraised):
    annex = flat(pdf_text(appraised["pdf"], annex_start(appraised["pdf"])))
    assert "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM VÀ KẾT QUẢ THẨM ĐỊNH" in annex
    assert "(Kèm theo Báo cáo số 86/BC-UBND ngày 02/04/2025 của Ủy ban nhân dân tỉnh Tây Ninh)" in annex
    assert "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10)" in flat(
        layout_text(appraised["pdf"], annex_start(appraised["pdf"]))
    )
    rows = table_rows(appraised["html"], "Bảng tổng hợp")
    expected = {  # maxima self, survey | self, appraised, survey, total
        "1": ["7", "2", "6,25", "6,5", "1,8", "8,3"],
        "1.1": ["2", "", "1,75", "2", "", "2"],
        "1.1.1": ["0,5", "", "0,25", "0,5", "", "0,5"],
        "1.7": ["", "2", "", "", "1,8", "1,8"],
        "4.3.2": ["0,5", "", "0", "0", "", "0"],
        "7": ["11", "4", "10,25", "9,75", "chưa có", "chưa có"],
        "7.3.4": ["1", "", "0,5", "0", "", "0"],
        "Tổng cộng": ["62", "38", "59,25", "59", "chưa có", "chưa có"],
    }
    for code, cells in expected.items():
        assert rows[code][2:8] == cells, code
    assert "Thẩm định vòng 1 (Nguyễn Văn A): 0,25 điểm, thay bằng vòng 2. Giữ nguyên điểm tự chấm." in annex
    assert "Thẩm định vòng 2 (Hội đồng thẩm định): 0,5 điểm. Chấp nhận tài liệu bổ sung." in annex
    assert "Theo kết quả Bộ Nội vụ công bố" in annex
    assert "Tiêu chí, tiêu chí thành phần không có điểm thẩm định giữ điểm tự đánh giá." in annex


def test_appraised_report_pages(appraised):
    first = pdf_text(appraised["pdf"], 1, 1).split()
    assert first[0] != "1"
    info = subprocess.run(
        [_tool("pdfinfo"), "-f", "1", "-l", "99", str(appraised["pdf"])], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info)
    start = annex_start(appraised["pdf"])
    for page, width, height in sizes:
        landscape = Decimal(width) > Decimal(height)
        assert landscape == (int(page) >= start), f"page {page}"


def test_index_after_appraisal_of_every_survey_item(tmp_path):
    bundle = load_bundle(example_bundle())
    result = Scorer(load_catalogue(bundle.catalogue)).score(bundle)
    lines = "".join(
        f'  - {{criterion: "{c}", points: {p}, appraiser: "Bộ Nội vụ"}}\n' for c, p in SURVEY_POINTS.items()
    )
    appraisal = write_appraisal(tmp_path, "appraisals:\n" + lines)
    final = appraise_files(result, appraisal)
    html = render_html(final, bundle.report)
    text = html_text(html)
    # 59,25 self-assessed points (unchanged) + 32,8 survey points = 92,05/100.
    assert "Chỉ số cải cách hành chính sau thẩm định: 92,05/100 điểm (92,05 %)." in text
    assert "Phần điều tra xã hội học theo kết quả Bộ Nội vụ công bố: 32,8/38 điểm." in text
    assert "Sau thẩm định, tổng điểm phần tự đánh giá đạt 59,25/62 điểm" in text
    assert "(không thay đổi so với điểm tự đánh giá)" in text
    rows = table_rows(html, "Bảng tổng hợp")
    assert rows["Tổng cộng"][2:8] == ["62", "38", "59,25", "59,25", "32,8", "92,05"]
    assert "Chỉ số CCHC: 92,05 %" in rows["Tổng cộng"][-1]


def test_self_assessment_is_recovered_from_the_appraised_result(appraised, example):
    final = ScoreResult.model_validate_json((appraised["out"] / "ket-qua.json").read_text(encoding="utf-8"))
    assert self_assessed(final).to_json() == example["result"].to_json()


def test_a_bad_appraisal_file_writes_nothing(tmp_path):
    appraisal = write_appraisal(tmp_path, 'appraisals:\n  - {criterion: "1.1", points: 1, appraiser: "A"}\n')
    out = tmp_path / "out"
    code, _, stderr = run_cli(["report", str(example_bundle()), "--appraisal", str(appraisal), "--out", str(out)])
    assert code == 2
    assert "appraisals #1 (criterion: 1.1)" in stderr
    assert not out.exists()


@pytest.mark.parametrize("name", ["tay-ninh-2024", "tien-giang-2024.yaml"])
def test_without_appraisal_the_report_says_nothing_of_an_appraisal(name):
    bundle = load_bundle(example_bundle(name))
    result = Scorer(load_catalogue(bundle.catalogue)).score(bundle)
    html = render_html(result, bundle.report)
    assert "thẩm định" not in html_text(html).split("xem xét, thẩm định./.")[0].lower()
    assert "appraised" not in html and "c-appraised" not in html


# ---- hostile texts, no report section -----------------------------------------------------------------------------
def test_evidence_text_prints_literally(hostile):
    assert hostile["warnings"] == ()
    assert "<script>" not in hostile["html"]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in hostile["html"]
    assert "<b>Thử Nghiệm</b>" not in hostile["html"]
    text = hostile["text"]
    assert "<script>alert('x')</script> {{ 7*7 }} {% if 1 %}khối{% endif %} & “trích dẫn”" in text
    assert "UBND tỉnh <b>Thử" in text and "Nghiệm</b>" in text  # the table cell wraps between the two words
    assert "TL01, mục {{ config }}" in text  # the annex cites the register; the register holds the document once


def test_placeholders_without_a_report_section(hostile):
    text = hostile["text"]
    assert "Số: …/BC-UBND" in text
    assert "Thử Nghiệm, ngày … tháng … năm …" in text
    assert "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM" in text
    assert "(chưa có nội dung)" in text
    assert "- Như trên;" in text and "- Lưu: VT." in text  # the letter's Kính gửi is "Như trên" in Nơi nhận


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


# ---- hostile texts in explanations and the report section (injected after validation) -------------------------------
# Markup and template syntax are refused at the input gate (tests/test_hostile_input.py); whatever reaches the
# renderer by another road (a hand-edited ket-qua.json, a future reader) is still escaped: defence in depth.
HOSTILE_EXPLANATION = "Chưa ban hành <img src=x onerror=alert(1)> kế hoạch {{ 7*7 }} ${HOME} {# ghi chú #}"
HOSTILE_INFO = ReportInfo(number="12/BC-UBND", place="Thử Nghiệm").model_copy(
    update={
        "signer": Signer().model_copy(update={"name": "<b>Nguyễn Văn A</b> {{ ten }}"}),
        "recipients": ["<a href='javascript:alert(1)'>Bộ Nội vụ</a>;", "${HOME};"],
        "difficulties": ["Khó khăn <script>alert('k')</script> {{ 7*7 }}"],
        "proposals": ["Kiến nghị <style>body { display: none }</style> {% raw %}"],
    }
)


def with_hostile_explanation(result: ScoreResult) -> ScoreResult:
    """The first self-scored leaf missing its evidence gets an explanation holding markup and template code."""
    code = next(leaf.code for leaf in result.criteria if leaf.status == "missing_evidence" and leaf.source == "self")
    criteria = [
        leaf.model_copy(update={"explanation": HOSTILE_EXPLANATION}) if leaf.code == code else leaf
        for leaf in result.criteria
    ]
    return result.model_copy(update={"criteria": criteria})


@pytest.fixture(scope="module")
def hostile_letter(tmp_path_factory, hostile):
    """The hostile result with a hostile explanation and a report section whose texts hold markup."""
    result = with_hostile_explanation(hostile["result"])
    html = render_html(result, HOSTILE_INFO)
    rendered = render_pdf(html)
    pdf = tmp_path_factory.mktemp("hostile-letter") / "bao-cao.pdf"
    pdf.write_bytes(rendered.data)
    return dict(html=html, warnings=rendered.warnings, text=flat(pdf_text(pdf)))


def test_markup_is_refused_before_it_reaches_the_report(tmp_path):
    path = write_hostile_bundle(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'title: "Kế hoạch"', f"title: {json.dumps(HOSTILE_TITLE, ensure_ascii=False)}"
        ),
        encoding="utf-8",
    )
    code, _, stderr = run_cli(["report", str(path), "--out", str(tmp_path / "out")])
    assert code == 2 and "Traceback" not in stderr
    assert (
        "bản ghi documents #1 (id: kh-cchc), trường 'title': chứa thẻ HTML hoặc cú pháp mẫu (template) '<script'"
        in stderr
    )
    assert not (tmp_path / "out").exists()


def test_explanation_text_prints_literally(hostile_letter):
    text, html = hostile_letter["text"], hostile_letter["html"]
    assert hostile_letter["warnings"] == ()
    section = text[text.index("II. GIẢI TRÌNH") : text.index("III. KHÓ KHĂN")]
    assert HOSTILE_EXPLANATION in section
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_report_section_text_prints_literally(hostile_letter):
    html, text = hostile_letter["html"], hostile_letter["text"]
    for raw in ("<script", "<style>body", "<a href", "<b>Nguyễn"):
        assert raw not in html
    assert "&lt;b&gt;Nguyễn Văn A&lt;/b&gt;" in html and "&lt;script&gt;alert(&#39;k&#39;)&lt;/script&gt;" in html
    assert "<b>Nguyễn Văn A</b> {{ ten }}" in text
    assert "- <a href='javascript:alert(1)'>Bộ Nội vụ</a>;" in text and "- ${HOME};" in text
    assert "Khó khăn <script>alert('k')</script> {{ 7*7 }}" in text
    assert (
        "Kiến nghị <style>body { display: none }</style> {% raw %}" in text
    )  # {% raw %} and {{ 7*7 }} never evaluated


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
