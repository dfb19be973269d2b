"""`par-score web verify`, `web backup` and `web restore` as a user runs them: the workspace's change log verified
(exit 0 intact; 1 naming each edited, deleted entry and each object changed behind the log's back), an exported log
verified without the key, and a workspace backed up, restored into a fresh data folder and database, verified and
scored identically. The workspace commands run in a subprocess against the tests' database (committed: a
transactional test), as `par-score serve` would."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from clirun import ROOT, Ran, run_main
from django.db import connection

from par_score.web.workspace.appraisals import appraised, open_appraisal, save_points
from par_score.web.workspace.chain import entry_hash
from par_score.web.workspace.exporting import LOG_FILE, export_records
from par_score.web.workspace.files import Upload, store
from par_score.web.workspace.history import entry_data
from par_score.web.workspace.models import AppraisalPoint, Change
from par_score.web.workspace.parts import province
from web.server import cli_env, database_url_of


def appraise_one(campaign, admin) -> str:
    open_appraisal(admin, campaign, "Hội đồng thẩm định Bộ Nội vụ", None)
    leaf = next(c for c in province(campaign).result.criteria if c.points and c.points > 0)
    save_points(admin, campaign, leaf.code, 1, Decimal("0"), "Thiếu văn bản kiểm chứng", version=None)
    return leaf.code


def run_process(*args: str) -> Ran:
    """`python -m par_score ARGS` with a workspace of its own (not the tests' database unless given)."""
    done = subprocess.run(
        [sys.executable, "-m", "par_score", *args], capture_output=True, text=True, cwd=ROOT, env=cli_env(), timeout=120
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def workspace(settings) -> list[str]:
    return ["--data", str(settings.DATA_DIR), "--database", database_url_of(connection)]


# ---- the workspace ------------------------------------------------------------------------------------------------
def test_verify_names_an_edited_and_a_deleted_entry_and_a_point_changed_in_the_database(
    transactional_db, logged, accounts, settings
):
    code = appraise_one(logged, accounts["admin"])
    intact = run_process("web", "verify", *workspace(settings))
    assert intact.code == 0, intact.text
    assert f"Nhật ký '{logged.name}' (campaign:{logged.pk})" in intact.out and "— nguyên vẹn" in intact.out
    assert "Kết luận: nguyên vẹn" in intact.out

    chain = f"campaign:{logged.pk}"
    edited = Change.objects.get(chain=chain, seq=5)
    Change.objects.filter(pk=edited.pk).update(note="sửa thẳng trong cơ sở dữ liệu")
    Change.objects.filter(chain=chain, seq=8).delete()
    AppraisalPoint.objects.filter(campaign=logged, criterion=code).update(points="1")
    rewritten = Change.objects.get(chain=chain, seq=12)  # edited, and its hash computed again (without the key)
    rewritten.username = "nguoi-khac"
    Change.objects.filter(pk=rewritten.pk).update(username="nguoi-khac", hash=entry_hash(entry_data(rewritten)))

    ran = run_process("web", "verify", *workspace(settings))
    assert ran.code == 1, ran.text
    assert "[mục bị sửa] mục số 5 (" in ran.out and "đã bị sửa: nội dung không còn khớp mã băm đã ghi" in ran.out
    assert "[mục bị xóa] mục số 8 (sau mục số 7, trước mục số 9" in ran.out
    assert f"[cơ sở dữ liệu lệch nhật ký] điểm thẩm định {code}" in ran.out
    assert "points: nhật ký '0', cơ sở dữ liệu '1'" in ran.out
    # the record whose creation was the deleted entry is now unexplained by the log
    assert "có trong cơ sở dữ liệu nhưng không có trong nhật ký (được thêm thẳng vào cơ sở dữ liệu)" in ran.out
    assert "[mục bị ghi đè không có khóa nhật ký] mục số 12 (" in ran.out and ", nguoi-khac, " in ran.out
    assert "Kết luận: KHÔNG nguyên vẹn — 5 phát hiện" in ran.out


def test_a_wrong_database_for_verify_is_a_users_error(tmp_path):
    ran = run_process("web", "verify", "--data", str(tmp_path), "--database", "mysql://u@h/db")
    assert ran.code == 2 and "không hỗ trợ cơ sở dữ liệu 'mysql'" in ran.err


# ---- an exported log ----------------------------------------------------------------------------------------------
@pytest.fixture
def exported(logged, tmp_path) -> Path:
    export_records(logged, tmp_path / "xuat")
    return tmp_path / "xuat" / LOG_FILE


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_lines(path: Path, entries: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    return path


def test_an_exported_log_verifies_without_the_key(exported, logged):
    ran = run_main("web", "verify", "--log", str(exported))
    assert ran.code == 0, ran.text
    entries = len(lines_of(exported))
    assert f"- Chuỗi campaign:{logged.pk}: {entries} mục — nguyên vẹn" in ran.out
    assert "không kiểm tra chữ ký" in ran.out


def test_an_exported_log_names_an_edited_a_deleted_and_a_moved_entry(exported, tmp_path):
    entries = lines_of(exported)
    entries[2]["username"] = "nguoi-khac"  # seq 3 edited
    del entries[5]  # seq 6 deleted
    entries[9]["seq"], entries[10]["seq"] = entries[10]["seq"], entries[9]["seq"]  # seq 11 and 12 swapped
    ran = run_main("web", "verify", "--log", str(write_lines(tmp_path / "sua.jsonl", entries)))
    assert ran.code == 1, ran.text
    assert "[mục bị sửa] mục số 3 (" in ran.out
    assert "[mục bị xóa] mục số 6 (sau mục số 5, trước mục số 7" in ran.out
    assert "[mục bị đổi chỗ] mục số 11 (" in ran.out and "vốn là mục số 12" in ran.out
    assert "Kết luận: KHÔNG nguyên vẹn" in ran.out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"xin chao\n", "dòng {line} không phải JSON hợp lệ"),
        (b'{"seq": 1}\n', "dòng {line} không phải một mục nhật ký (thiếu trường)"),
        (b'{"seq": "1"}\n', "dòng {line} không phải một mục nhật ký (thiếu trường)"),
        (b"%PDF-1.4\n\xff\xfe\n", "không phải văn bản UTF-8"),
    ],
)
def test_a_file_that_is_not_a_log_is_a_users_error(exported, tmp_path, content, expected):
    good = exported.read_bytes()
    path = tmp_path / "khong-phai.jsonl"
    path.write_bytes(good + content)  # a log with one bad line at its end
    ran = run_main("web", "verify", "--log", str(path))
    assert ran.code == 2, ran.text
    assert f"Tệp '{path}'" in ran.err
    assert expected.format(line=len(good.splitlines()) + 1) in ran.err


def test_an_entry_with_a_wrong_field_is_a_users_error(exported, tmp_path):
    entries = lines_of(exported)
    entries[3]["at"] = "hôm qua"
    ran = run_main("web", "verify", "--log", str(write_lines(tmp_path / "sai.jsonl", entries)))
    assert ran.code == 2 and "dòng 4: thời điểm (at) không phải ngày giờ ISO 8601" in ran.err
    entries[3]["at"], entries[4]["hash"] = entries[2]["at"], 12
    ran = run_main("web", "verify", "--log", str(write_lines(tmp_path / "sai.jsonl", entries)))
    assert ran.code == 2 and "dòng 5: trường 'hash' phải là chuỗi ký tự" in ran.err


def test_a_missing_log_is_a_users_error(tmp_path):
    ran = run_main("web", "verify", "--log", str(tmp_path / "khong-co.jsonl"))
    assert ran.code == 2 and f"Tệp '{tmp_path / 'khong-co.jsonl'}'" in ran.err and "không đọc được tệp" in ran.err


# ---- backup and restore through the command line ---------------------------------------------------------------
POINTS = """
import json, sys
from decimal import Decimal
from django.contrib.auth import get_user_model
from par_score.web import server
server.configure(sys.argv[1])
from par_score.web.workspace.appraisals import appraised, save_points
from par_score.web.workspace.models import Campaign
print(json.dumps({c.pk: appraised(c).result.to_json() for c in Campaign.objects.all()}))
for campaign in Campaign.objects.all():  # then one more point: new rows and a new log entry after the restore
    done = set(campaign.appraisal_points.values_list("criterion", flat=True))
    leaf = [c for c in appraised(campaign).result.criteria if c.points and c.code not in done][0]
    admin = get_user_model().objects.get(username="quantri")
    save_points(admin, campaign, leaf.code, 1, Decimal("0"), "Sau khi khôi phục", version=None)
"""


def points_in(data: Path, database_url: str | None = None) -> dict:
    """Every campaign's appraised result, scored by a separate process in the workspace at `data`, which then saves
    one more appraisal point in it (rows numbered after the restored ones, an entry sealed with the restored key)."""
    env = cli_env()
    if database_url:
        env["PAR_SCORE_DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, "-c", POINTS, str(data)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_backup_restore_verify_and_score_from_the_command_line(transactional_db, logged, accounts, settings, tmp_path):
    appraise_one(logged, accounts["admin"])
    pdf = tmp_path / "quyet-dinh.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% Quyet dinh\n")
    store(Upload(pdf, pdf.name, pdf.stat().st_size), accounts["admin"])
    expected = {str(logged.pk): appraised(logged).result.to_json()}
    archive = tmp_path / "sao-luu.zip"

    made = run_process("web", "backup", *workspace(settings), "--out", str(archive))
    assert made.code == 0, made.text
    assert f"{len(accounts)} tài khoản" in made.out and "1 tệp đính kèm, 1 chiến dịch" in made.out and not made.err
    again = run_process("web", "backup", *workspace(settings), "--out", str(archive))
    assert again.code == 2 and "tệp kết quả đã tồn tại; dùng --force" in again.err

    fresh = tmp_path / "moi"
    restored = run_process("web", "restore", str(archive), "--data", str(fresh))
    assert restored.code == 0, restored.text
    assert "Nhật ký thay đổi sau khi khôi phục: nguyên vẹn" in restored.out
    assert (fresh / "kho" / "files").is_dir()
    assert points_in(fresh) == expected
    verified = run_process("web", "verify", "--data", str(fresh))
    assert verified.code == 0 and "Kết luận: nguyên vẹn" in verified.out, verified.text

    refused = run_process("web", "restore", str(archive), "--data", str(fresh))
    assert refused.code == 2
    assert f"cơ sở dữ liệu đích đã có dữ liệu ({len(accounts)} tài khoản" in refused.err
    assert "chỉ khôi phục vào một không gian làm việc trống" in refused.err

    if connection.vendor == "postgresql":  # and back into PostgreSQL, from the SQLite copy
        copy = tmp_path / "sao-luu-sqlite.zip"
        assert run_process("web", "backup", "--data", str(fresh), "--out", str(copy)).code == 0
        after = points_in(fresh)  # the copy's points: with the point saved after the first restore
        url = empty_postgres_database()
        try:
            into = run_process("web", "restore", str(copy), "--data", str(tmp_path / "pg"), "--database", url)
            assert into.code == 0, into.text
            assert points_in(tmp_path / "pg", url) == after
            checked = run_process("web", "verify", "--data", str(tmp_path / "pg"), "--database", url)
            assert checked.code == 0, checked.text
        finally:
            drop_postgres_database(url)


def test_a_tampered_backup_is_refused_from_the_command_line(tmp_path):
    import zipfile

    assert run_process("web", "backup", "--data", str(tmp_path / "goc"), "--out", str(tmp_path / "a.zip")).code == 0

    def tampered(name: str, change) -> Path:
        with zipfile.ZipFile(tmp_path / "a.zip") as old, zipfile.ZipFile(tmp_path / name, "w") as new:
            for info in old.infolist():
                content = old.read(info)
                new.writestr(info, change(content) if info.filename == "khoa-nhat-ky.txt" else content)
        return tmp_path / name

    target = tmp_path / "moi"
    longer = tampered("dai-hon.zip", lambda key: key + b" ")
    ran = run_process("web", "restore", str(longer), "--data", str(target))
    assert ran.code == 2
    assert "thành phần 'khoa-nhat-ky.txt'" in ran.err and "kích thước thành phần khác với tệp mô tả" in ran.err
    assert not target.exists()  # refused before the workspace was set up
    missing = run_process("web", "restore", str(tmp_path / "khong-co.zip"), "--data", str(target))
    assert missing.code == 2 and "không tìm thấy tệp sao lưu" in missing.err and not target.exists()

    changed = tampered("sua.zip", lambda key: (b"B" if key[:1] == b"A" else b"A") + key[1:])
    ran = run_process("web", "restore", str(changed), "--data", str(target))
    assert ran.code == 2
    assert "thành phần 'khoa-nhat-ky.txt'" in ran.err and "mã băm SHA-256 của thành phần khác với tệp mô tả" in ran.err
    assert {p.name for p in target.iterdir()} <= {"par-score.sqlite3", "khoa-bi-mat.txt", "khoa-nhat-ky.txt"}
    assert run_process("web", "restore", str(tmp_path / "a.zip"), "--data", str(target)).code == 0


def empty_postgres_database() -> str:
    name = f"{connection.settings_dict['NAME']}_khoi_phuc"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    return database_url_of(connection).rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
