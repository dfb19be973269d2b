"""Helpers of the workspace tests: a campaign for the bundled example, uploads, a filled agency workbook."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
from django.utils import timezone

from par_score import api
from par_score.io.resources import example_bundle
from par_score.web.workspace.models import AgencyPart, Campaign

AGENCY_A = "Sở Tư pháp"
AGENCY_B = "Sở Nội vụ"
PASSWORD = "mat-khau-thu-nghiem-2024"


def make_campaign(name: str = "Tự đánh giá năm 2024", deadline_days: int = 30) -> Campaign:
    index = api.load_catalogue()
    campaign = Campaign.objects.create(
        name=name,
        unit_code="tay-ninh",
        unit_name="Tỉnh Tây Ninh",
        unit_level="tinh",
        year=index.year,
        catalogue_id=index.id,
        deadline=timezone.now() + dt.timedelta(days=deadline_days),
    )
    for position, agency in enumerate(index.agencies()):
        AgencyPart.objects.create(campaign=campaign, agency=agency, position=position)
    return campaign


def example_zip(tmp_path: Path, folder: Path | None = None) -> Path:
    folder = folder or example_bundle()
    target = tmp_path / "tay-ninh-2024.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"tay-ninh-2024/{path.relative_to(folder).as_posix()}")
    return target


def part_of(campaign: Campaign, agency: str) -> AgencyPart:
    return campaign.parts.get(agency=agency)


def xlsx_upload(data: bytes, name: str = "bang-tinh.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def filled_template(campaign, rows: dict[str, dict[str, object]]) -> bytes:
    """The agency's template with values typed into the pre-filled rows of 'Số liệu' (by indicator of a code)."""
    from par_score.web.workspace.workbooks import agency_template

    book = openpyxl.load_workbook(io.BytesIO(agency_template(part_of(campaign, AGENCY_A))))
    sheet = book["Số liệu"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        code = sheet.cell(row=row, column=headers["Mã tiêu chí"]).value
        for header, value in rows.get(code, {}).items():
            sheet.cell(row=row, column=headers[header]).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
