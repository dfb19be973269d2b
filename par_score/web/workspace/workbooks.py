"""The evidence workbook an agency downloads: the CLI's template for its criteria, with the campaign's unit already
in the 'Thông tin' sheet (so that no agency retypes it, and a mistyped one never reaches the merge)."""

from __future__ import annotations

import io

import openpyxl

from par_score import api
from par_score.evidence.workbook.layout import INFO_SHEET, INFO_VALUE_COLUMN
from par_score.web.workspace.catalogues import campaign_catalogue
from par_score.web.workspace.models import AgencyPart

PREFILLED = {"Mã đơn vị": "unit_code", "Tên đơn vị": "unit_name"}


def agency_template(part: AgencyPart) -> bytes:
    campaign = part.campaign
    data = api.evidence_template(campaign_catalogue(campaign), agency=part.agency)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[INFO_SHEET]
    for row in range(1, sheet.max_row + 1):
        label = sheet.cell(row=row, column=1).value
        if label in PREFILLED:
            sheet.cell(row=row, column=INFO_VALUE_COLUMN).value = getattr(campaign, PREFILLED[label])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
