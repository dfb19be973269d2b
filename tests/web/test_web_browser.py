"""One walk through the real workspace in a real browser (Debian's Chromium, headless, driven by Selenium through
Debian's chromedriver) against `par-score serve`: an agency logs in, fills a criterion, uploads its workbook, sees
its preview change, submits; the administrator runs the scoring and downloads the PDF report.

Chromium is required, never skipped: without it the test fails saying how to install it (.ci/run does)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from par_score.numbers import vn
from par_score.web.workspace.models import Membership, ScoringRun
from par_score.web.workspace.parts import preview
from web.browser import chromium, close
from web.helpers import AGENCY_A, PASSWORD, filled_template, make_campaign, part_of
from web.server import Served, database_url_of


@pytest.fixture
def walk_setup(transactional_db, settings, tmp_path):
    campaign = make_campaign()
    users = get_user_model()
    users.objects.create_superuser("quantri", password=PASSWORD, email="")
    agency = users.objects.create_user("tuphap", password=PASSWORD, first_name="Trần Thị Tư")
    Membership.objects.create(campaign=campaign, user=agency, role="agency", agency=AGENCY_A)
    workbook = tmp_path / "so-tu-phap.xlsx"
    workbook.write_bytes(
        filled_template(campaign, {"2.1.1": {"Tử số": 44, "Mẫu số": 44}, "2.4.2": {"Tử số": 9, "Mẫu số": 9}})
    )
    served = Served(Path(settings.DATA_DIR), database_url_of(connection))
    downloads = tmp_path / "tai-ve"
    downloads.mkdir()
    driver = chromium(1366, 768, downloads=downloads)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield campaign, served, driver, workbook, downloads
    close(driver)
    served.stop()


def _text(driver, css: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css).text


def _login(driver, url: str, username: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(url + "/dang-nhap/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    _go(driver, By.CSS_SELECTOR, "form button[type=submit]")


def _messages(driver) -> str:
    from selenium.webdriver.common.by import By

    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".messages .msg"))


def _go(driver, by: str, value: str, timeout: float = 90) -> None:
    """Click what leads to another page, and wait until that page has replaced this one (scoring and writing a
    report takes seconds). The old page is marked; the new one has a fresh window without the mark."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.parScoreOldPage = true;")
    driver.find_element(by, value).click()

    def replaced(d) -> bool:
        try:
            return d.execute_script("return !window.parScoreOldPage && document.readyState === 'complete';")
        except WebDriverException:  # between two documents
            return False

    WebDriverWait(driver, timeout, poll_frequency=0.1).until(replaced)


def test_an_agency_and_the_administrator_walk_through_a_campaign(walk_setup):
    from selenium.webdriver.common.by import By

    campaign, served, driver, workbook, downloads = walk_setup
    _login(driver, served.url, "tuphap")
    assert _text(driver, "h1") == AGENCY_A  # an agency lands on its own part
    assert _text(driver, "#tong-diem") == "0 / 6,5 điểm"  # 7.4.3 is Sở Tư pháp's since issue 10

    _go(driver, By.LINK_TEXT, "2.1.1")
    driver.find_element(By.ID, "id_metrics-numerator").send_keys("40")
    driver.find_element(By.ID, "id_metrics-denominator").send_keys("44")
    driver.find_element(By.ID, "id_metrics-period").send_keys("Năm 2024")
    _go(driver, By.XPATH, "//button[normalize-space()='Lưu số liệu']")
    assert "Tiêu chí 2.1.1: 0,5/1 điểm (đạt một phần); tổng của cơ quan: 0,5/6,5 điểm." in _messages(driver)
    assert _text(driver, "#tong-diem") == "0,5 / 6,5"
    assert "Chưa đạt điểm tối đa: tỷ lệ đạt 90,91 %, chưa đạt mức từ 100,00 % trở lên." in driver.page_source

    _go(driver, By.LINK_TEXT, AGENCY_A)
    driver.find_element(By.ID, "id_workbook").send_keys(str(workbook))
    _go(driver, By.XPATH, "//button[normalize-space()='Tải lên bảng tính']")
    assert "Đã nhập bảng tính: 2 bản ghi thay đổi; tổng của cơ quan: 1,5/6,5 điểm." in _messages(driver)
    expected = preview(part_of(campaign, AGENCY_A)).result.totals.self_
    assert _text(driver, "#tong-diem") == f"{vn(expected.points)} / {vn(expected.max)} điểm"

    _go(driver, By.ID, "nut-nop")
    assert "Đã nộp phần tài liệu của cơ quan" in _messages(driver)
    assert "bị khóa cho tới khi Sở Nội vụ mở lại" in driver.page_source
    assert not driver.find_elements(By.ID, "id_workbook")  # nothing left to edit

    _go(driver, By.XPATH, "//button[normalize-space()='Đăng xuất']")
    _login(driver, served.url, "quantri")
    _go(driver, By.LINK_TEXT, campaign.name)
    assert "đã nộp" in driver.find_element(By.XPATH, f"//tr[th/a[normalize-space()='{AGENCY_A}']]").text
    _go(driver, By.LINK_TEXT, "Chấm điểm")
    _go(driver, By.ID, "nut-cham")
    assert "Đã chấm điểm: lần chấm số 1." in _messages(driver)
    run = ScoringRun.objects.get(campaign=campaign)
    assert run.self_points == expected.points

    driver.find_element(By.LINK_TEXT, "bao-cao-tu-cham-diem.pdf").click()  # a download: the page stays
    pdf = downloads / "lan-cham-1-bao-cao-tu-cham-diem.pdf"
    deadline = time.monotonic() + 30
    while not pdf.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert pdf.is_file(), sorted(p.name for p in downloads.iterdir())
    assert pdf.read_bytes().startswith(b"%PDF")
