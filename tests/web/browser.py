"""A headless Chromium from Debian's packages, driven by Selenium through Debian's chromedriver (never a download)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MISSING = (
    "Chromium và chromedriver của Debian là bắt buộc cho kiểm thử trình duyệt: cài bằng "
    "'apt-get install chromium chromium-driver' (.ci/run tự cài)."
)


def chromium(width: int = 1366, height: int = 768, downloads: Path | None = None):
    """A fresh headless Chromium (its own empty profile); the caller quits it."""
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        raise RuntimeError(f"{MISSING} Không thấy {CHROMIUM} hoặc {CHROMEDRIVER}.")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="par-score-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-extensions",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--lang=vi-VN",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if downloads is not None:
        options.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
                "plugins.always_open_pdf_externally": True,
            },
        )
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.profile_dir = profile
    return driver


def close(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(getattr(driver, "profile_dir", ""), ignore_errors=True)
