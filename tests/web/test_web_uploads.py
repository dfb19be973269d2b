"""Hostile and mistaken uploads: attached files bounded in size and typed by their content; workbooks read by the
CLI's reader, whose located problems (sheet, row, column) appear on the page; nothing stored when anything is wrong."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from par_score.web.workspace.models import Change, Record, StoredFile
from par_score.web.workspace.parts import preview
from web.helpers import AGENCY_A, filled_template, part_of, xlsx_upload, zipped


def _doc_form(file=None, **extra):
    data = {
        "documents-kind": "ke_hoach",
        "documents-number": "298/KH-UBND",
        "documents-issuer": "UBND tỉnh Tây Ninh",
        "documents-issue_date": "02/02/2024",
        "documents-title": "Kế hoạch rà soát VBQPPL năm 2024",
        "documents-topics": ["ke_hoach_ra_soat_vbqppl"],
        "tieu_chi": "2.2.1",
    }
    if file is not None:
        data["documents-file"] = file
    data.update(extra)
    return data


def _post_doc(client, campaign, data):
    part = part_of(campaign, AGENCY_A)
    return client.post(f"/chien-dich/{campaign.pk}/co-quan/{part.pk}/tieu-chi/2.2.1/them/documents/", data)


def test_a_scanned_pdf_is_stored_by_its_hash_and_served_to_those_who_may_read_it(clients, campaign, accounts, settings):
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
    response = _post_doc(clients["agency_a"], campaign, _doc_form(SimpleUploadedFile("Kế hoạch.pdf", pdf)))
    assert response.status_code == 302
    record = Record.objects.get(section="documents")
    stored = StoredFile.objects.get()
    assert record.data["file"] == {"path": stored.relative_path, "sha256": stored.sha256}
    assert stored.original_name == "Kế hoạch.pdf" and stored.size == len(pdf)
    assert (settings.STORE_DIR / stored.relative_path).read_bytes() == pdf
    url = f"/chien-dich/{campaign.pk}/tep/{stored.sha256}/"
    assert b"".join(clients["agency_a"].get(url).streaming_content) == pdf
    assert clients["auditor"].get(url).status_code == 200
    assert clients["agency_b"].get(url).status_code == 404
    assert clients["agency_a"].get(f"/chien-dich/{campaign.pk}/tep/{'0' * 64}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ke-hoach.pdf", b"MZ\x90\x00 not a pdf", "nội dung tệp &#x27;ke-hoach.pdf&#x27; không phải PDF"),
        ("trang.html", b"<html><script>alert(1)</script></html>", "không nhận loại tệp của &#x27;trang.html&#x27;"),
        ("anh.png", b"%PDF-1.4 pretending", "không phải ảnh PNG"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_an_attachment_of_the_wrong_type_is_refused(clients, campaign, accounts, name, content, message):
    response = _post_doc(clients["agency_a"], campaign, _doc_form(SimpleUploadedFile(name, content)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Record.objects.exists() and not StoredFile.objects.exists()


def test_an_oversize_attachment_and_an_oversize_request_are_refused(clients, campaign, accounts, settings):
    settings.MAX_ATTACHMENT_BYTES = 1024
    big = b"%PDF-1.4\n" + b"0" * 2048
    response = _post_doc(clients["agency_a"], campaign, _doc_form(SimpleUploadedFile("lon.pdf", big)))
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    settings.MAX_REQUEST_BYTES = 1024
    response = _post_doc(clients["agency_a"], campaign, _doc_form(SimpleUploadedFile("lon.pdf", big)))
    assert response.status_code == 413 and "Yêu cầu quá lớn" in response.content.decode()
    assert not StoredFile.objects.exists()


def _upload_workbook(client, campaign, data: bytes, name="so-tu-phap.xlsx"):
    part = part_of(campaign, AGENCY_A)
    return client.post(f"/chien-dich/{campaign.pk}/co-quan/{part.pk}/bang-tinh/", {"workbook": xlsx_upload(data, name)})


def test_a_workbook_replaces_the_agencys_records_and_moves_its_preview(clients, campaign, accounts):
    data = filled_template(campaign, {"2.1.1": {"Tử số": 44, "Mẫu số": 44}, "2.4.2": {"Tử số": 9, "Mẫu số": 10}})
    response = _upload_workbook(clients["agency_a"], campaign, data)
    assert response.status_code == 302
    assert "Đã nhập bảng tính: 2 bản ghi thay đổi" in clients["agency_a"].get(response["Location"]).content.decode()
    result = preview(part_of(campaign, AGENCY_A)).result
    assert result.leaf("2.1.1").status == "full" and result.leaf("2.4.2").status == "partial"
    assert Change.objects.filter(note="bảng tính so-tu-phap.xlsx").count() == 2


def test_workbook_problems_are_shown_by_sheet_row_and_column(clients, campaign, accounts):
    data = filled_template(campaign, {"2.1.1": {"Tử số": 45, "Mẫu số": 44}, "2.4.2": {"Tử số": "chín", "Mẫu số": 10}})
    response = _upload_workbook(clients["agency_a"], campaign, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bảng tính chưa nhập được (2 lỗi)" in page
    assert (
        "Tệp &#x27;so-tu-phap.xlsx&#x27;, Sheet &#x27;Số liệu&#x27;, dòng 4, cột &#x27;Tử số&#x27;" in page
        or "Sheet &#x27;Số liệu&#x27;, dòng" in page
    )
    assert "cột &#x27;Tử số&#x27;: tử số (45) lớn hơn mẫu số (44)" in page
    assert not Record.objects.exists()


def test_a_workbook_of_another_unit_is_refused_at_its_cell(clients, campaign, accounts):
    book = openpyxl.load_workbook(io.BytesIO(filled_template(campaign, {"2.1.1": {"Tử số": 1, "Mẫu số": 1}})))
    book["Thông tin"]["B2"] = "tien-giang"
    out = io.BytesIO()
    book.save(out)
    response = _upload_workbook(clients["agency_a"], campaign, out.getvalue())
    assert "Sheet &#x27;Thông tin&#x27;" in response.content.decode()
    assert "&#x27;tien-giang&#x27; khác chiến dịch (&#x27;tay-ninh&#x27;)" in response.content.decode()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(260):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_zip_bomb, "thành phần quá lớn khi giải nén"),  # the reader checks each part first since issue 11
        (lambda: zipped({"xl/workbook.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'}), "DOCTYPE"),
        (lambda: b"Day khong phai bang tinh", "không phải tệp Excel .xlsx hợp lệ"),
    ],
    ids=["zip-bomb", "doctype", "not-a-workbook"],
)
def test_a_hostile_workbook_is_refused_with_the_readers_message(clients, campaign, accounts, make, message):
    response = _upload_workbook(clients["agency_a"], campaign, make())
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Tệp &#x27;so-tu-phap.xlsx&#x27;" in page
    assert "par-score-tai-len-" not in page  # the file as the person named it, never the server's temporary path
    assert not Record.objects.exists()


def test_an_oversize_workbook_is_refused_before_reading(clients, campaign, accounts, settings):
    settings.MAX_WORKBOOK_BYTES = 1000
    response = _upload_workbook(clients["agency_a"], campaign, b"PK" + b"0" * 2000)
    assert response.status_code == 400
    assert "bảng tính quá lớn (2.002 byte; tối đa 1.000 byte)" in response.content.decode()


def test_a_bundle_zip_with_a_path_outside_is_refused(clients, campaign, accounts):
    data = zipped({"bo/../../thoat.yaml": "format: par-score/evidence@1\n"})
    response = clients["admin"].post(
        f"/chien-dich/{campaign.pk}/nhap/",
        {"kind": "bundle", "bo-bundle": SimpleUploadedFile("bo.zip", data, content_type="application/zip")},
    )
    assert response.status_code == 400
    assert "tệp nén chứa đường dẫn không hợp lệ" in response.content.decode()


def test_file_names_never_carry_control_characters_into_messages(clients, campaign, accounts):
    response = _post_doc(clients["agency_a"], campaign, _doc_form(SimpleUploadedFile("a\x1b[31mb.exe", b"MZ")))
    page = response.content.decode()
    assert "\x1b" not in page and "a[31mb.exe" in page
