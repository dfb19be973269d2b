"""Long unbroken words break in every cell and line of the report (issue 11, item 5): a bundle whose every printed
text is as long as validation allows, with no space to break at, is rendered to PDF (the letter after thẩm định, so
that the appraiser's comment is printed too, and the internal preview); `pdftotext -bbox` then shows every word's box
inside its page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from clirun import run_main
from reportread import tool

UNBROKEN = "ĐườngDẫnKhôngCóKhoảngTrắng"  # 26 characters, no break opportunity anywhere


def unbroken(length: int) -> str:
    return (UNBROKEN * (length // len(UNBROKEN) + 1))[:length]


def digits(length: int) -> str:
    return ("1234567890" * (length // 10 + 1))[:length]


def longest_bundle(folder: Path) -> Path:
    data = {
        "format": "par-score/evidence@1",
        "unit": {"code": "thu-nghiem", "name": "Tỉnh " + unbroken(495), "level": "tinh"},
        "year": 2024,
        "documents": [
            {
                "id": "kh-cchc",
                "kind": "quyet_dinh",
                "number": digits(500),
                "issuer": unbroken(500),
                "issue_date": "2023-12-20",
                "title": unbroken(1000),
                "topics": ["ke_hoach_cchc_nam"],
                "locator": unbroken(500),
            }
        ],
        "not_applicable": [{"criterion": "2.3.2", "reason": unbroken(2000)}],
        "survey": [{"item": "8.1", "percent": 83.94, "source": unbroken(500)}],
        "explanations": [{"criterion": "1.2.1", "text": unbroken(8000)}],
        "report": {
            "number": digits(100),
            "date": "2025-01-10",
            "place": unbroken(100),
            "issuing_body": [unbroken(300), unbroken(300)],
            "parent_body": [unbroken(300)],
            "recipient": unbroken(300),
            "guidance": {"number": digits(100), "date": "2024-11-25", "subject": unbroken(500)},
            "signer": {
                "authority": unbroken(200),
                "delegation": unbroken(200),
                "title": unbroken(200),
                "name": unbroken(200),
            },
            "recipients": [unbroken(300), unbroken(300)],
            "difficulties": [unbroken(4000)],
            "proposals": [digits(4000)],
            "appraisal": {
                "number": digits(100),
                "date": "2025-04-02",
                "recipient": unbroken(300),
                "recipients": [unbroken(300)],
                "proposals": [unbroken(4000)],
            },
        },
    }
    path = folder / "bundle.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def appraisal_file(folder: Path) -> Path:
    path = folder / "tham-dinh.yaml"
    record = {"criterion": "1.1.1", "points": 0.25, "appraiser": unbroken(300), "comment": unbroken(4000)}
    data = {"council": unbroken(500), "date": "2025-03-20", "appraisals": [record]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def word_boxes(pdf: Path) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, page width, page height, xMin, yMin, xMax, yMax, word) of every word pdftotext finds."""
    html = subprocess.run([tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    boxes = []
    page, width, height = 0, 0.0, 0.0
    for line in html.splitlines():
        found = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if found:
            page, width, height = page + 1, float(found.group(1)), float(found.group(2))
            continue
        found = re.search(
            r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*)</word>', line
        )
        if found:
            x0, y0, x1, y1 = (float(found.group(i)) for i in range(1, 5))
            boxes.append((page, width, height, x0, y0, x1, y1, found.group(5)))
    return boxes


@pytest.mark.parametrize("kind", ["tham-dinh", "xem-truoc"])
def test_every_word_box_lies_inside_its_page(tmp_path, kind):
    bundle = longest_bundle(tmp_path)
    out = tmp_path / "out"
    ran = run_main(
        "report", str(bundle), "--appraisal", str(appraisal_file(tmp_path)), "--kind", kind, "--format", "pdf",
        "--out", str(out),
    )  # fmt: skip
    assert ran.code == 0, ran.err
    boxes = word_boxes(out / "bao-cao-tu-cham-diem.pdf")
    assert len(boxes) > 1000
    assert any(UNBROKEN[:10] in box[-1] for box in boxes)  # the long words are there, broken into pieces
    outside = [box for box in boxes if box[3] < 0 or box[4] < 0 or box[5] > box[1] + 0.5 or box[6] > box[2] + 0.5]
    assert outside == [], outside[:3]
