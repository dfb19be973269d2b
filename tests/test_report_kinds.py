"""What `report` makes and refuses: the signable letter, the draft stamped "DỰ THẢO" with the list of what is missing,
`--final`, the internal preview, the report after thẩm định; the wording of the letter (natural Vietnamese, a real
minus sign, no internal identifiers); the evidence register and the evidence archive."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from clirun import run_main
from reportread import flat, page_text, pdf_pages, table_rows, tool

from par_score import api
from par_score.io.resources import example_bundle
from par_score.outputs.report import build_document, render_document

TIEN_GIANG = example_bundle("tien-giang-2024.yaml")


def report(out: Path, bundle: Path = example_bundle(), *extra: str) -> tuple[int, str, str]:
    ran = run_main("report", str(bundle), *extra, "--out", str(out))
    return ran.code, ran.out, ran.err


def annex_start(pdf: Path) -> int:
    return next(p for p in range(1, pdf_pages(pdf) + 1) if "BẢNG TỔNG HỢP" in page_text(pdf, p))


@pytest.fixture(scope="module")
def signable(tmp_path_factory):
    out = tmp_path_factory.mktemp("signable")
    code, stdout, stderr = report(out, example_bundle(), "--format", "pdf")
    assert code == 0, stderr
    pdf = out / "bao-cao-tu-cham-diem.pdf"
    return dict(out=out, pdf=pdf, text=flat(subprocess_text(pdf)), stdout=stdout, stderr=stderr)


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft")
    code, stdout, stderr = report(out, TIEN_GIANG, "--format", "pdf")
    assert code == 0, stderr
    pdf = out / "bao-cao-tu-cham-diem.pdf"
    return dict(out=out, pdf=pdf, text=flat(subprocess_text(pdf)), stdout=stdout, stderr=stderr)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    out = tmp_path_factory.mktemp("preview")
    code, stdout, stderr = report(out, TIEN_GIANG, "--format", "pdf", "--kind", "xem-truoc")
    assert code == 0, stderr
    pdf = out / "bao-cao-tu-cham-diem.pdf"
    return dict(out=out, pdf=pdf, text=flat(subprocess_text(pdf)), stdout=stdout, stderr=stderr)


def subprocess_text(pdf: Path) -> str:
    return subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()


# ---- the signable letter (Tây Ninh) ------------------------------------------------------------------------------
def test_signable_letter_has_no_stamp_placeholder_estimate_or_identifier(signable):
    text = signable["text"]
    assert "Văn bản: Báo cáo kết quả tự đánh giá, chấm điểm gửi Bộ Nội vụ." in signable["stdout"]
    assert "DỰ THẢO" not in signable["stdout"] + signable["stderr"] + text
    for placeholder in ("…", "chưa có giải trình", "(chưa có nội dung)"):
        assert placeholder not in text, placeholder
    assert "ước tính" not in text
    for identifier in ("par-tinh-tham-chieu-2024", "phiên bản 2024.1", "sha256", "tham-dinh"):
        assert identifier not in text, identifier
    info = subprocess.run([tool("pdfinfo"), str(signable["pdf"])], capture_output=True, text=True).stdout
    assert "danh mục par-tinh-tham-chieu-2024; phiên bản 2024.1" in info  # in the PDF's metadata instead
    manifest = json.loads((signable["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["kind"] == "bao-cao" and manifest["options"]["draft"] is False


def test_letterhead_guidance_and_recipients(signable):
    first = page_text(signable["pdf"], 1, layout=True)
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    assert lines[0].startswith("ỦY BAN NHÂN DÂN ") and lines[0].endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert lines[1].startswith("TỈNH TÂY NINH ")  # the issuing body on two lines, as custom sets it
    text = signable["text"]
    assert (
        "Thực hiện Công văn số 6826/BNV-CCHC ngày 25/11/2024 của Bộ Nội vụ về việc hướng dẫn tự đánh giá, chấm điểm "
        "xác định Chỉ số cải cách hành chính năm 2024, Ủy ban nhân dân tỉnh Tây Ninh báo cáo"
    ) in text
    assert "Nơi nhận: - Như trên; - Vụ Cải cách hành chính - Bộ Nội vụ;" in text


def test_letter_prose_is_natural_vietnamese(signable):
    text = signable["text"]
    section = text[text.index("II. GIẢI TRÌNH") : text.index("III. KHÓ KHĂN")]
    assert "có 1 kỳ báo cáo gửi trễ hạn, trong khi yêu cầu không có kỳ báo cáo nào gửi trễ hạn" in section
    assert "văn bản ban hành ngày 12/01/2024, sau thời hạn (chậm nhất ngày 31/12/2023)" in section
    assert "tỷ lệ đạt 71,20 %, chưa đạt mức từ 75,00 % trở lên" in section
    for machine in ("≤", "≥", "thực tế:"):
        assert machine not in section, machine
    assert not re.search(r"cần (số|tỷ lệ|giá trị|ngày)", section)
    counts = text[text.index("3. Tình trạng các tiêu chí") : text.index("II. GIẢI TRÌNH")]
    assert "đạt điểm tối đa: 74; đạt một phần: 6;" in counts  # lower case after every semicolon


def test_annex_is_about_half_of_what_it_was(signable):
    pages = pdf_pages(signable["pdf"]) - annex_start(signable["pdf"]) + 1
    assert pages <= 15, pages  # 23 landscape pages before the register replaced repeated citations


def test_group_rows_never_end_a_page(signable):
    """An area or TC heading never stands alone at the foot of a page with its first child overleaf."""
    pdf = signable["pdf"]
    run = api.run_source(example_bundle())
    groups = {node.code for area in run.result.areas for node in [area, *area.criteria]}
    groups -= {leaf.code for leaf in run.result.criteria}
    for page in range(annex_start(pdf), pdf_pages(pdf)):
        rows = re.findall(r"^\s{0,3}(\d+(?:\.\d+)*)\s", page_text(pdf, page, layout=True), re.MULTILINE)
        if rows:
            assert rows[-1] not in groups, f"page {page} ends with the heading row {rows[-1]}"


# ---- drafts ---------------------------------------------------------------------------------------------------------
def test_draft_is_stamped_on_every_page_and_lists_what_is_missing(draft):
    pdf = draft["pdf"]
    for page in range(1, pdf_pages(pdf) + 1):
        assert "DỰ THẢO" in page_text(pdf, page), f"page {page}"
    assert "— DỰ THẢO." in draft["stdout"]
    assert "Văn bản được lập dưới dạng DỰ THẢO vì còn thiếu:" in draft["stderr"]
    assert (
        "giải trình (explanations) cho 10 tiêu chí: 1.1.1, 1.1.3, 1.5.1, 2.4.1, 4.3.2, 5.2.1, 5.6.2, 6.3.1, 7.1.3, 8.3.5"
        in draft["stderr"]
    )
    assert "9 tiêu chí điều tra xã hội học có số liệu xem trước" in draft["stderr"]
    manifest = json.loads((draft["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["draft"] is True


def test_draft_letter_states_no_survey_estimate(draft):
    letter = draft["text"][: draft["text"].index("BẢNG TỔNG HỢP")]
    assert "ước tính" not in letter
    assert "Phần điều tra xã hội học (38 điểm) do Bộ Nội vụ đánh giá." in letter
    assert "Chỉ số cải cách hành chính" not in letter.split("II. GIẢI TRÌNH")[0].split("I. KẾT QUẢ")[1].split("2.")[0]


def test_draft_wording_uses_a_real_minus_sign(draft):
    section = draft["text"][draft["text"].index("II. GIẢI TRÌNH") : draft["text"].index("III. KHÓ KHĂN")]
    assert "giá trị đạt −0,5, chưa đạt mức từ 0 trở lên" in section
    assert "-0,5" not in section
    assert "tỷ lệ đạt 90,00 %, chưa đạt mức trên 90,00 %" in section
    assert "có 5 trường hợp, trong khi yêu cầu không có trường hợp nào" in section


def test_final_refuses_a_draft_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    code, _, stderr = report(out, TIEN_GIANG, "--final")
    assert code == 2
    assert (
        "văn bản chưa đủ điều kiện ký ban hành (--final); còn thiếu: giải trình (explanations) cho 10 tiêu chí"
        in stderr
    )
    assert not out.exists()


def test_final_writes_a_signable_letter(tmp_path):
    code, _, stderr = report(tmp_path / "out", example_bundle(), "--final", "--format", "html")
    assert code == 0, stderr
    html = (tmp_path / "out" / "bao-cao-tu-cham-diem.html").read_text(encoding="utf-8")
    assert 'class="stamp"' not in html


def test_missing_number_date_and_signer_make_a_draft():
    run = api.run_source(example_bundle())
    info = run.bundle.report.model_copy(
        update={"number": "", "date": None, "signer": run.bundle.report.signer.model_copy(update={"name": ""})}
    )
    doc = build_document(run.result, info)
    assert doc.preflight.draft and doc.stamp == "DỰ THẢO"
    assert doc.preflight.missing == (
        "số văn bản (report.number)",
        "ngày văn bản (report.date)",
        "họ tên người ký (report.signer.name)",
    )
    assert build_document(run.result, None).preflight.missing[0].startswith("mục `report` của bộ tài liệu")


# ---- the internal preview -------------------------------------------------------------------------------------------
def test_preview_is_titled_for_internal_use_and_states_the_estimates(preview):
    pdf, text = preview["pdf"], preview["text"]
    for page in range(1, pdf_pages(pdf) + 1):
        assert "TÀI LIỆU NỘI BỘ" in page_text(pdf, page), f"page {page}"
    assert "BẢN XEM TRƯỚC" in text and "không phải văn bản gửi Bộ Nội vụ" in text
    assert "Kính gửi" not in text and "Nơi nhận" not in text and "DỰ THẢO" not in text
    assert "Chỉ số cải cách hành chính ước tính: 86,08/99,25 điểm (86,73 %), chỉ để tham khảo nội bộ." in text
    assert "Văn bản: Bản xem trước" in preview["stdout"]


# ---- after thẩm định --------------------------------------------------------------------------------------------------
def test_kinds_that_do_not_fit_are_refused(tmp_path):
    code, _, stderr = report(tmp_path / "a", example_bundle(), "--kind", "tham-dinh")
    assert code == 2 and "báo cáo 'tham-dinh' cần tệp thẩm định (--appraisal)" in stderr
    appraisal = tmp_path / "tham-dinh.yaml"
    appraisal.write_text('appraisals:\n  - {criterion: "1.1.1", points: 0.5, appraiser: "A"}\n', encoding="utf-8")
    code, _, stderr = report(tmp_path / "b", example_bundle(), "--appraisal", str(appraisal), "--kind", "bao-cao")
    assert code == 2 and "kết quả đã thẩm định" in stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_appraised_report_without_its_own_number_is_a_draft(tmp_path):
    appraisal = tmp_path / "tham-dinh.yaml"
    appraisal.write_text('appraisals:\n  - {criterion: "1.7", points: 1.8, appraiser: "Bộ Nội vụ"}\n', encoding="utf-8")
    run = api.appraise(api.run_source(example_bundle()), appraisal)
    info = run.bundle.report.model_copy(update={"appraisal": None})
    doc = build_document(run.result, info)
    assert doc.kind == "tham-dinh" and doc.preflight.draft
    assert doc.preflight.missing == ("mục `report.appraisal` (số, ngày của báo cáo sau thẩm định)",)


# ---- the evidence register and archive ------------------------------------------------------------------------------
def test_register_holds_every_document_once(signable):
    run = api.run_source(example_bundle())
    doc = build_document(run.result, run.bundle.report)
    cited = {d.id for leaf in run.result.criteria for d in leaf.evidence}
    entries = doc.register.entries
    assert sorted(e.id for e in entries) == sorted(cited) and len(entries) == len(cited) == 67
    assert [e.code for e in entries] == [f"TL{n:02d}" for n in range(1, 68)]
    rendered = build_document(run.result, run.bundle.report)
    rows = table_rows(render_document(rendered), "DANH MỤC TÀI LIỆU KIỂM CHỨNG")
    assert [code for code in rows if code.startswith("TL")] == [e.code for e in entries]
    codes = {e.code for e in entries}
    for row in rendered.annex.rows:
        for cite in row.citations:
            assert cite.split(",")[0] in codes
    # one statistics extract was cited 7 times in full; now 7 citations point at one register line
    assert signable["text"].count("Trích xuất dữ liệu") < 7


def write_attached_bundle(folder: Path) -> Path:
    (folder / "tep").mkdir()
    (folder / "tep" / "ke-hoach.pdf").write_bytes(b"%PDF-1.4 ke hoach")
    (folder / "tep" / "bao-cao.pdf").write_bytes(b"%PDF-1.4 bao cao")
    digest = hashlib.sha256(b"%PDF-1.4 bao cao").hexdigest()
    path = folder / "bundle.yaml"
    path.write_text(
        "format: par-score/evidence@1\n"
        'unit: {code: thu-nghiem, name: "Tỉnh Thử Nghiệm", level: tinh}\n'
        "year: 2024\n"
        "documents:\n"
        "  - {id: kh, kind: ke_hoach, number: 12/KH-UBND, issuer: UBND tỉnh Thử Nghiệm, issue_date: 2023-12-20,\n"
        "     title: Kế hoạch CCHC năm 2024, topics: [ke_hoach_cchc_nam], locator: Mục II,\n"
        "     file: {path: tep/ke-hoach.pdf}}\n"
        "  - {id: bc, kind: bao_cao, number: 30/BC-UBND, issuer: UBND tỉnh Thử Nghiệm, issue_date: 2024-12-20,\n"
        "     title: Báo cáo kiểm tra phân cấp năm 2024, topics: [bao_cao_kiem_tra_phan_cap],\n"
        f"     file: {{path: tep/bao-cao.pdf, sha256: {digest}}}}}\n",
        encoding="utf-8",
    )
    return path


def test_evidence_zip_names_files_by_register_number(tmp_path):
    bundle = write_attached_bundle(tmp_path)
    out = tmp_path / "out"
    code, stdout, stderr = report(out, bundle, "--format", "html", "--evidence-zip")
    assert code == 0, stderr
    archive = zipfile.ZipFile(io.BytesIO((out / "tai-lieu-kiem-chung.zip").read_bytes()))
    names = archive.namelist()
    assert names == ["TL01-ke-hoach.pdf", "TL02-bao-cao.pdf", "DANH-MUC.txt"]
    assert archive.read("TL02-bao-cao.pdf") == b"%PDF-1.4 bao cao"
    listing = archive.read("DANH-MUC.txt").decode("utf-8")
    assert "TL01\t12/KH-UBND\t20/12/2023" in listing and hashlib.sha256(b"%PDF-1.4 ke hoach").hexdigest() in listing
    rows = table_rows((out / "bao-cao-tu-cham-diem.html").read_text(encoding="utf-8"), "DANH MỤC")
    assert rows["TL01"][5:] == ["ke-hoach.pdf", hashlib.sha256(b"%PDF-1.4 ke hoach").hexdigest()[:12]]
    assert rows["TL02"][5:] == ["bao-cao.pdf", hashlib.sha256(b"%PDF-1.4 bao cao").hexdigest()[:12]]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "tai-lieu-kiem-chung.zip" in json.dumps(manifest)
    first = (out / "tai-lieu-kiem-chung.zip").read_bytes()
    assert report(out, bundle, "--format", "html", "--evidence-zip", "--force")[0] == 0
    assert (out / "tai-lieu-kiem-chung.zip").read_bytes() == first  # deterministic


def test_evidence_zip_without_attachments_is_refused(tmp_path):
    code, _, stderr = report(tmp_path / "out", example_bundle(), "--format", "html", "--evidence-zip")
    assert code == 2
    assert "không có tài liệu kiểm chứng nào kèm tệp" in stderr
    assert not (tmp_path / "out").exists()


# ---- the HTML --------------------------------------------------------------------------------------------------------
def test_html_is_self_contained_with_h1_captions_and_header_scopes():
    run = api.run_source(example_bundle())
    html = render_document(build_document(run.result, run.bundle.report))
    assert len(re.findall(r"<h1[ >]", html)) == 1
    tables = re.findall(r"<table class=\"(points[^\"]*|register[^\"]*)\">\s*<caption>([^<]+)</caption>", html)
    assert [name for _, name in tables] == [
        "Bảng 1. Điểm theo lĩnh vực",
        "Bảng tổng hợp điểm và tài liệu kiểm chứng theo lĩnh vực, tiêu chí, tiêu chí thành phần",
        "DANH MỤC TÀI LIỆU KIỂM CHỨNG",
    ]
    headers = re.findall(r"<th[ >][^>]*", html)
    assert headers and all('scope="' in th for th in headers), [th for th in headers if "scope" not in th][:3]
    for reference in re.findall(r"(?:src|href)=\"([^\"]+)\"|url\(\"?([^\")]+)", html):
        target = next(part for part in reference if part)
        assert target.startswith("data:"), target[:60]
    assert "file:" not in html and "/work/" not in html and "/usr/" not in html
    assert "<script" not in html.lower()
