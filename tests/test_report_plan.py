"""The internal preview carries the improvement plan (the same plan as `par-score plan`, as of a recorded date);
the documents that leave the province never do."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from html import unescape

import docx
import pytest
from clirun import run_main
from reportread import flat, tool

from par_score import api
from par_score.io.resources import bundled_dir
from par_score.planning.view import plan_view

TIEN_GIANG = bundled_dir("evidence") / "examples" / "tien-giang-2024.yaml"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    out = tmp_path_factory.mktemp("preview-plan")
    ran = run_main(
        "report", str(TIEN_GIANG), "--kind", "xem-truoc", "--as-of", "15/10/2024", "--format", "all", "--out", str(out)
    )
    assert ran.code == 0, ran.err
    pdf = subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", str(out / "bao-cao-tu-cham-diem.pdf"), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    word = docx.Document(io.BytesIO((out / "bao-cao-tu-cham-diem.docx").read_bytes()))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    page = (out / "bao-cao-tu-cham-diem.html").read_text(encoding="utf-8")
    html = flat(unescape(re.sub(r"<[^>]+>", "", page)))
    return dict(out=out, pdf=flat(pdf), html=html, cells=cells)


def test_the_preview_holds_every_action_of_the_plan_as_of_the_given_date(preview):
    plan = api.plan(api.run_source(TIEN_GIANG), as_of=dt.date(2024, 10, 15))
    rows = plan_view(plan).rows
    assert rows and "IV. KẾ HOẠCH KHẮC PHỤC, NÂNG ĐIỂM (TÀI LIỆU NỘI BỘ)" in preview["pdf"]
    for row in rows:
        first = flat(row.action.split("\n")[0])
        assert first in preview["html"], first
        assert any(first in flat(cell) for cell in preview["cells"]), first
    assert "Thêm 1 trường hợp (từ 1 lên 2)" in preview["pdf"]


def test_the_plan_date_is_recorded_with_the_run(preview):
    manifest = json.loads((preview["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["plan_as_of"] == "2024-10-15"
    assert manifest["options"]["kind"] == "xem-truoc"


def test_a_letter_has_no_plan_section(tmp_path):
    ran = run_main("report", str(TIEN_GIANG), "--format", "pdf", "--out", str(tmp_path))
    assert ran.code == 0, ran.err
    text = subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", str(tmp_path / "bao-cao-tu-cham-diem.pdf"), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "KẾ HOẠCH KHẮC PHỤC" not in text
    assert "plan_as_of" not in json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["options"]
