"""`par-score serve` and `par-score web create-admin` as a user runs them: the first start creates the data folder
and the database and says how to create the first administrator; wrong settings end with a Vietnamese message."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

from clirun import ROOT, run_process

from par_score.web.database import DatabaseUrlError, database_settings
from web.server import Served, cli_env


def test_first_start_creates_the_workspace_and_explains_the_first_administrator(tmp_path):
    data = tmp_path / "du-lieu"
    served = Served(data)
    try:
        with urllib.request.urlopen(served.url + "/", timeout=5) as response:
            assert response.url.endswith("/dang-nhap/")
            page = response.read().decode()
        assert "Đăng nhập" in page and 'lang="vi"' in page
        with urllib.request.urlopen(served.url + "/static/workspace/site.css", timeout=5) as response:
            assert response.status == 200 and b"--brand" in response.read()
    finally:
        served.stop()
    output = served.output()
    assert "Chưa có tài khoản quản trị viên" in output
    assert f"par-score web create-admin TÊN-ĐĂNG-NHẬP --data '{data}'" in output
    assert (data / "par-score.sqlite3").is_file() and (data / "khoa-bi-mat.txt").is_file()
    assert oct((data / "khoa-bi-mat.txt").stat().st_mode & 0o777) == "0o600"

    created = subprocess.run(
        [sys.executable, "-m", "par_score", "web", "create-admin", "quantri", "--data", str(data), "--password-stdin"],
        input="mot-mat-khau-du-dai-2024\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=cli_env(),
    )
    assert created.returncode == 0, created.stderr
    assert "Đã tạo quản trị viên 'quantri'" in created.stdout
    verified = subprocess.run(  # the account is on the workspace's change log, which verifies
        [sys.executable, "-m", "par_score", "web", "verify", "--data", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=cli_env(),
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "(workspace): 1 mục — nguyên vẹn" in verified.stdout
    again = Served(data)
    try:
        request = urllib.request.Request(served.url.replace(str(served.port), str(again.port)) + "/dang-nhap/")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    finally:
        again.stop()
    assert "Chưa có tài khoản quản trị viên" not in again.output()


def test_a_weak_password_or_a_taken_name_is_refused(tmp_path):
    data = str(tmp_path / "du-lieu")
    weak = subprocess.run(
        [sys.executable, "-m", "par_score", "web", "create-admin", "quantri", "--data", data, "--password-stdin"],
        input="123\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=cli_env(),
    )
    assert weak.returncode == 2
    assert "mật khẩu chưa đạt" in weak.stderr


def test_a_wrong_database_url_is_a_users_error(tmp_path):
    ran = run_process("web", "migrate", "--data", str(tmp_path), "--database", "mysql://u@h/db")
    assert ran.code == 2 and "không hỗ trợ cơ sở dữ liệu 'mysql'" in ran.err
    ran = run_process("web", "migrate", "--data", str(tmp_path), "--database", "postgresql://u@127.0.0.1:1/khong-co")
    assert ran.code == 2 and "không kết nối hoặc không cập nhật được cơ sở dữ liệu (PostgreSQL" in ran.err


def test_database_urls(tmp_path):
    pg = database_settings("postgresql://nguoi%40dung:m%C3%A2t@db.local:5433/par?sslmode=require", tmp_path)
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "nguoi@dung",
        "mât",
        "db.local",
        "5433",
        "par",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert database_settings(None, tmp_path)["NAME"] == str(tmp_path / "par-score.sqlite3")
    for wrong in ("postgresql://h/", "sqlite://host/x", "ftp://x"):
        try:
            database_settings(wrong, tmp_path)
        except DatabaseUrlError:
            continue
        raise AssertionError(wrong)


def test_the_migrations_match_the_models(db):
    from django.core.management import call_command

    call_command("makemigrations", "workspace", "--check", "--dry-run", verbosity=0)  # SystemExit(1) if not
