"""One appraisal round in a real browser (Debian's Chromium, headless, through Selenium and Debian's chromedriver)
against `par-score serve`: the administrator opens the appraisal; the appraiser proposes points and a comment on a
criterion; after round 2 opens the agency answers with a giải trình; the appraiser sets the final points; the
administrator closes the appraisal, and the final points are displayed side by side with the others.

Chromium is required, never skipped: without it the test fails saying how to install it (.ci/run does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from par_score.web.workspace.files import Upload
from par_score.web.workspace.importing import import_bundle
from par_score.web.workspace.models import Appraisal, AppraisalPoint, AppraisalReply, Membership
from web.browser import chromium, close
from web.helpers import AGENCY_A, PASSWORD, example_zip, make_campaign
from web.server import Served, database_url_of
from web.test_web_browser import _go, _login, _messages, _text

COMMENT = "Chưa có danh mục văn bản kèm Quyết định 22/QĐ-UBND."
REPLY = "Sở Tư pháp bổ sung danh mục 44 văn bản kèm Quyết định 22/QĐ-UBND."


@pytest.fixture
def round_setup(transactional_db, settings, tmp_path):
    campaign = make_campaign()
    users = get_user_model()
    admin = users.objects.create_superuser("quantri", password=PASSWORD, email="")
    agency = users.objects.create_user("tuphap", password=PASSWORD, first_name="Trần Thị Tư")
    appraiser = users.objects.create_user("thamdinh", password=PASSWORD, first_name="Lê Văn Thẩm")
    Membership.objects.create(campaign=campaign, user=agency, role="agency", agency=AGENCY_A)
    Membership.objects.create(campaign=campaign, user=appraiser, role="appraiser")
    path = example_zip(tmp_path)
    import_bundle(admin, campaign, Upload(path, path.name, path.stat().st_size))
    served = Served(Path(settings.DATA_DIR), database_url_of(connection))
    driver = chromium(1366, 768)
    yield campaign, served, driver
    close(driver)
    served.stop()


def _as(driver, served, username: str) -> None:
    from selenium.webdriver.common.by import By

    if driver.find_elements(By.XPATH, "//button[normalize-space()='Đăng xuất']"):
        _go(driver, By.XPATH, "//button[normalize-space()='Đăng xuất']")
    _login(driver, served.url, username)


def _fill(driver, element_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def test_one_appraisal_round_in_a_browser(round_setup):
    from selenium.webdriver.common.by import By

    campaign, served, driver = round_setup
    _as(driver, served, "quantri")
    _go(driver, By.LINK_TEXT, campaign.name)
    _go(driver, By.LINK_TEXT, "Thẩm định")
    _fill(driver, "id_council", "Hội đồng thẩm định Chỉ số CCHC năm 2024")
    _go(driver, By.ID, "nut-mo-tham-dinh")
    assert "Đã mở thẩm định vòng 1." in _messages(driver)

    _as(driver, served, "thamdinh")  # an appraiser lands on the appraisal
    assert _text(driver, "h1") == "Thẩm định"
    _go(driver, By.LINK_TEXT, "2.1.1")
    _fill(driver, "id_points", "0,5")
    _fill(driver, "id_comment", COMMENT)
    _go(driver, By.ID, "nut-luu-diem")
    assert "Đã lưu điểm thẩm định vòng 1 của tiêu chí 2.1.1." in _messages(driver)

    _as(driver, served, "quantri")
    _go(driver, By.LINK_TEXT, campaign.name)
    _go(driver, By.LINK_TEXT, "Thẩm định")
    _go(driver, By.ID, "nut-vong-2")
    assert _text(driver, "#giai-doan") == "vòng 2: giải trình và điểm cuối cùng"

    _as(driver, served, "tuphap")  # the agency sees the council's comment on its criterion and answers it
    assert "Vòng 2: hãy giải trình ý kiến của hội đồng" in driver.page_source
    _go(driver, By.LINK_TEXT, "2.1.1")
    assert COMMENT in _text(driver, "section.appraisal")
    _fill(driver, "id_text", REPLY)
    _go(driver, By.ID, "nut-giai-trinh")
    assert "Đã gửi giải trình cho tiêu chí 2.1.1." in _messages(driver)
    assert REPLY in _text(driver, "section.appraisal")

    _as(driver, served, "thamdinh")  # the appraiser reads the giải trình and sets the final points
    _go(driver, By.LINK_TEXT, "2.1.1")
    assert REPLY in _text(driver, "section[aria-labelledby=diem]")
    _fill(driver, "id_points", "1")
    _fill(driver, "id_comment", "Chấp nhận giải trình.")
    _go(driver, By.ID, "nut-luu-diem")
    assert "Đã lưu điểm thẩm định vòng 2 của tiêu chí 2.1.1." in _messages(driver)

    _as(driver, served, "quantri")
    _go(driver, By.LINK_TEXT, campaign.name)
    _go(driver, By.LINK_TEXT, "Thẩm định")
    _go(driver, By.ID, "nut-ket-thuc")
    assert _text(driver, "#giai-doan") == "đã kết thúc thẩm định"
    row = driver.find_element(By.XPATH, "//tr[td/a[normalize-space()='2.1.1']]")
    cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
    assert cells[3:] == ["1/1", "0,5", "1", "1", "đã gửi"]  # self, round 1, round 2, final, giải trình
    _go(driver, By.LINK_TEXT, "2.1.1")
    assert _text(driver, "#diem-cuoi-cung") == "1"

    assert Appraisal.objects.get(campaign=campaign).state == Appraisal.CLOSED
    assert list(AppraisalPoint.objects.order_by("round").values_list("round", "points")) == [(1, "0.5"), (2, "1")]
    assert AppraisalReply.objects.get().text == REPLY
