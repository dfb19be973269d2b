"""The administrator's pages: creating a campaign (bundled or uploaded catalogue), its settings (deadline, the
report's letter details), accounts, and importing an agency's workbook on its behalf."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from par_score import api
from par_score.web.workspace.models import Campaign, Change, Membership, Record
from par_score.web.workspace.parts import header_data
from web.helpers import AGENCY_A, filled_template, part_of, xlsx_upload

CAMPAIGN = {
    "name": "Chiến dịch mới năm 2024",
    "unit_code": "tay-ninh",
    "unit_name": "Tỉnh Tây Ninh",
    "unit_level": "tinh",
    "year": "2024",
    "catalogue": "par-tinh-tham-chieu-2024",
    "deadline": "15/01/2025",
}


def test_a_campaign_is_created_with_one_part_per_agency_of_its_catalogue(clients, accounts):
    response = clients["admin"].post("/chien-dich/moi/", CAMPAIGN)
    assert response.status_code == 302
    campaign = Campaign.objects.get(name=CAMPAIGN["name"])
    assert [p.agency for p in campaign.parts.all()] == api.load_catalogue().agencies()
    assert campaign.deadline.isoformat().startswith("2025-01-15T16:59:59")  # 23:59:59 in Hà Nội time, as UTC
    assert Change.objects.filter(campaign=campaign, action="campaign").count() == 1


def test_a_campaign_for_another_year_or_level_than_its_catalogue_is_refused(clients, accounts):
    response = clients["admin"].post("/chien-dich/moi/", {**CAMPAIGN, "year": "2025", "unit_level": "xa"})
    page = response.content.decode()
    assert "danh mục &#x27;par-tinh-tham-chieu-2024&#x27; dành cho năm đánh giá 2024" in page
    assert "dành cho cấp tỉnh" in page
    assert not Campaign.objects.filter(name=CAMPAIGN["name"]).exists()


def test_an_uploaded_catalogue_is_stored_and_used(clients, accounts, tmp_path, settings):
    source = Path(api.bundled_catalogues()["par-tinh-tham-chieu-2024"])
    upload = SimpleUploadedFile("bo-tieu-chi.yaml", source.read_bytes(), content_type="application/yaml")
    data = {**CAMPAIGN, "catalogue": "", "catalogue_file": upload}
    assert clients["admin"].post("/chien-dich/moi/", data).status_code == 302
    campaign = Campaign.objects.get(name=CAMPAIGN["name"])
    assert campaign.catalogue_file is not None and campaign.catalogue_id == "par-tinh-tham-chieu-2024"
    assert (settings.STORE_DIR / campaign.catalogue_file.relative_path).read_bytes() == source.read_bytes()
    broken = SimpleUploadedFile("hong.yaml", b"format: par-score/catalogue@1\nid: x\n", content_type="application/yaml")
    response = clients["admin"].post("/chien-dich/moi/", {**data, "name": "Khác", "catalogue_file": broken})
    assert response.status_code == 200 and "Tệp &#x27;" in response.content.decode()
    assert "thiếu trường bắt buộc" in response.content.decode()


def test_settings_keep_the_reports_letter_and_refuse_a_stale_edit(clients, campaign, accounts):
    url = f"/chien-dich/{campaign.pk}/cai-dat/"
    form = {
        "name": campaign.name,
        "deadline": "31/01/2025",
        "number": "25/BC-UBND",
        "date": "10/01/2025",
        "place": "Tây Ninh",
        "issuing_body": "ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_delegation": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Trần Minh Quang",
        "recipients": "Bộ Nội vụ;\nLưu: VT.",
        "difficulties": "",
        "proposals": "",
        "version": campaign.version,
    }
    assert clients["admin"].post(url, form).status_code == 302
    campaign.refresh_from_db()
    report = header_data(campaign)["report"]
    assert report["number"] == "25/BC-UBND" and report["recipients"] == ["Bộ Nội vụ;", "Lưu: VT."]
    assert report["signer"] == {"name": "Trần Minh Quang"}  # the other fields are the letter's defaults
    stale = clients["admin"].post(url, {**form, "number": "26/BC-UBND"}, follow=True)
    assert "vừa được người khác sửa" in stale.content.decode()
    campaign.refresh_from_db()
    assert campaign.report["number"] == "25/BC-UBND"
    bad = clients["admin"].post(url, {**form, "version": campaign.version, "place": "<b>Tây Ninh</b>"})
    assert "chứa thẻ HTML hoặc cú pháp mẫu" in bad.content.decode()


def test_accounts_are_created_with_a_checked_password_and_a_role(clients, campaign, accounts):
    url = f"/chien-dich/{campaign.pk}/tai-khoan/"
    weak = clients["admin"].post(
        url, {"username": "taichinh", "role": "agency", "agency": "Sở Tài chính", "password": "123"}
    )
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in weak.content.decode()
    assert not get_user_model().objects.filter(username="taichinh").exists()
    ok = clients["admin"].post(
        url,
        {
            "username": "taichinh",
            "full_name": "Lê Văn Tài",
            "role": "agency",
            "agency": "Sở Tài chính",
            "password": "mot-mat-khau-tot-2024",
        },
    )
    assert ok.status_code == 302
    member = Membership.objects.get(user__username="taichinh")
    assert (member.role, member.agency) == ("agency", "Sở Tài chính")
    existing = {"username": "kiemtra", "role": "agency", "agency": "Sở Tài chính", "password": "mot-mat-khau-tot-2024"}
    assert "tài khoản này đã có vai trò trong chiến dịch" in clients["admin"].post(url, existing).content.decode()
    no_agency = clients["admin"].post(url, {"username": "ai-do", "role": "agency", "password": "mot-mat-khau-tot-2024"})
    assert "chọn cơ quan của cán bộ" in no_agency.content.decode()


def test_the_administrator_imports_an_agencys_workbook_past_the_deadline(clients, campaign, accounts):
    import datetime as dt

    from django.utils import timezone

    campaign.deadline = timezone.now() - dt.timedelta(days=1)
    campaign.save()
    data = filled_template(campaign, {"2.1.1": {"Tử số": 44, "Mẫu số": 44}})
    response = clients["admin"].post(
        f"/chien-dich/{campaign.pk}/nhap/",
        {"kind": "workbook", "bang-agency": AGENCY_A, "bang-workbook": xlsx_upload(data)},
    )
    assert response.status_code == 302
    assert Record.objects.filter(part=part_of(campaign, AGENCY_A)).count() == 1
    assert Change.objects.get(action="create").username == "quantri"
