"""The change log nobody can rewrite: the hash chain (par_score.web.workspace.chain) names an entry edited, deleted or
moved, and an entry rewritten without the log key; the workspace's verification (its page, the integrity module)
names a point changed and a log entry deleted directly in the database, bypassing the application; the campaign's
export carries the log, which verifies on its own."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from par_score.web.workspace.appraisals import save_points
from par_score.web.workspace.chain import entry_hash, export_line, read_export, seal_of, verify_chain
from par_score.web.workspace.history import chain_of, log_change, snapshot
from par_score.web.workspace.integrity import verify_campaign
from par_score.web.workspace.models import AppraisalPoint, Change, Record
from web.helpers import AGENCY_A, PASSWORD, make_campaign, part_of

KEY = b"khoa-nhat-ky-thu-nghiem"
CHAIN = "campaign:7"


# ---- the chain on plain entries ------------------------------------------------------------------------------------
def _entry(seq: int, prev_hash: str, after: dict) -> dict:
    entry = {
        "chain": CHAIN,
        "seq": seq,
        "at": f"2025-03-20T01:00:{seq:02d}.000000+00:00",
        "username": "tuphap",
        "action": "update",
        "agency": AGENCY_A,
        "section": "metrics",
        "key": "ty-le-vbqppl",
        "target": "record:12",
        "before": None,
        "after": after,
        "note": "",
        "prev_hash": prev_hash,
    }
    entry["hash"] = entry_hash(entry)
    entry["seal"] = seal_of(KEY, entry["hash"])
    return entry


def _chain(count: int = 6, key: bytes = KEY) -> list[dict]:
    entries, previous = [], ""
    for seq in range(1, count + 1):
        entry = _entry(seq, previous, {"numerator": str(40 + seq), "denominator": "44"})
        entry["seal"] = seal_of(key, entry["hash"])
        entries.append(entry)
        previous = entry["hash"]
    return entries


def _head(entries: list[dict]) -> tuple[int, str]:
    return entries[-1]["seq"], entries[-1]["hash"]


def _found(entries: list[dict], head: tuple[int, str] | None, key: bytes | None = KEY) -> list[tuple[str, int | None]]:
    return [(f.kind, f.seq) for f in verify_chain(CHAIN, entries, head=head, key=key)]


def test_an_intact_chain_has_no_findings_in_any_order():
    entries = _chain()
    assert verify_chain(CHAIN, entries, head=_head(entries), key=KEY) == []
    assert verify_chain(CHAIN, list(reversed(entries)), head=_head(entries), key=KEY) == []  # read by seq


def test_an_edited_entry_is_named():
    entries = _chain()
    head = _head(entries)
    entries[2] = {**entries[2], "after": {"numerator": "44", "denominator": "44"}}
    findings = verify_chain(CHAIN, entries, head=head, key=KEY)
    assert [(f.kind, f.seq) for f in findings] == [("edited", 3)]
    assert findings[0].message.startswith("mục số 3 (08:00:03 20/03/2025, tuphap, update record:12) đã bị sửa")


def test_a_deleted_entry_is_named_in_the_middle_and_at_the_end():
    entries = _chain()
    head = _head(entries)
    middle = entries[:2] + entries[3:]
    findings = verify_chain(CHAIN, middle, head=head, key=KEY)
    assert [(f.kind, f.seq) for f in findings] == [("deleted", 3)]
    assert findings[0].message.startswith("mục số 3 (sau mục số 2, trước mục số 4 ")
    assert findings[0].message.endswith("đã bị xóa")
    assert _found(entries[:-1], head) == [("deleted", 6)]  # the last one: the chain's head still names it
    assert _found(entries[1:], head) == [("deleted", 1)]


def test_two_reordered_entries_are_named():
    entries = _chain()
    head = _head(entries)
    moved = [dict(e) for e in entries]
    moved[1]["seq"], moved[2]["seq"] = 3, 2  # the second and third entries swap places
    findings = verify_chain(CHAIN, moved, head=head, key=KEY)
    assert sorted((f.kind, f.seq) for f in findings) == [("reordered", 2), ("reordered", 3)]
    assert any("vốn là mục số 2" in f.message for f in findings)
    assert any("vốn là mục số 3" in f.message for f in findings)


def test_a_chain_rewritten_without_the_key_is_unsealed():
    entries = _chain()
    head = _head(entries)
    forged, previous = entries[:2], entries[1]["hash"]
    for entry in entries[2:]:  # entry 3 changed, it and every later entry re-hashed and re-linked, seals forged
        after = {"numerator": "44", "denominator": "44"} if entry["seq"] == 3 else entry["after"]
        rewritten = _entry(entry["seq"], previous, after)
        rewritten["seal"] = seal_of(b"khoa-doan-mo", rewritten["hash"])
        forged.append(rewritten)
        previous = rewritten["hash"]
    # the hashes alone agree with themselves: an export, checked without the key, cannot tell
    assert verify_chain(CHAIN, forged, head=None, key=None) == []
    found = _found(forged, head)
    assert [seq for kind, seq in found if kind == "unsealed"] == [3, 4, 5, 6]
    assert ("head", 6) in found  # the workspace's head still names the true last entry
    assert _found(forged, None) == [("unsealed", 3), ("unsealed", 4), ("unsealed", 5), ("unsealed", 6)]


def test_an_exported_log_reads_back_and_verifies():
    entries = _chain()
    chains = read_export(export_line(e) for e in entries)
    assert list(chains) == [CHAIN]
    assert verify_chain(CHAIN, chains[CHAIN], key=KEY) == []
    with pytest.raises(ValueError, match="dòng 2 không phải một mục nhật ký"):
        read_export([export_line(entries[0]), '{"seq": 2}'])


# ---- the workspace: real changes, then the database edited behind its back ----------------------------------------
@pytest.fixture
def logged(db, fast_hashing, tmp_path):
    """A campaign whose every object is on its log: created and given its accounts as the administrator does."""
    users = get_user_model()
    admin = users.objects.create_superuser("quantri", password=PASSWORD, email="")
    campaign = make_campaign()
    with transaction.atomic():
        log_change(campaign, admin, "campaign", target=campaign, after=snapshot(campaign))
    from django.test import Client

    clients = {"admin": Client()}
    clients["admin"].force_login(admin)
    accounts = f"/chien-dich/{campaign.pk}/tai-khoan/"
    for username, role, agency in (("tuphap", "agency", AGENCY_A), ("thamdinh", "appraiser", "")):
        data = {"username": username, "full_name": "", "role": role, "agency": agency, "password": PASSWORD * 2}
        assert clients["admin"].post(accounts, data).status_code == 302
        clients[username] = Client()
        clients[username].force_login(users.objects.get(username=username))
    return campaign, clients


def test_a_point_edited_and_an_entry_deleted_in_the_database_are_both_named(logged):
    campaign, clients = logged
    part = part_of(campaign, AGENCY_A)
    c = f"/chien-dich/{campaign.pk}/"
    metric = {
        "metrics-form": "ratio",
        "metrics-numerator": "40",
        "metrics-denominator": "44",
        "metrics-period": "2024",
        "metrics-source": "Báo cáo 412/BC-STP",
        "tieu_chi": "2.1.1",
    }
    assert clients["tuphap"].post(f"{c}co-quan/{part.pk}/tieu-chi/2.1.1/them/metrics/", metric).status_code == 302
    assert clients["tuphap"].post(f"{c}co-quan/{part.pk}/nop/").status_code == 302
    assert clients["admin"].post(f"{c}tham-dinh/mo/", {"council": "Hội đồng thẩm định"}).status_code == 302
    points = f"{c}tham-dinh/tieu-chi/2.1.1/diem/"
    assert clients["thamdinh"].post(points, {"points": "0,25", "comment": "Thiếu danh mục"}).status_code == 302
    assert clients["thamdinh"].post(points, {"points": "0,5", "comment": "Đã xem lại", "version": 1}).status_code == 302
    assert verify_campaign(campaign).findings == []
    verify = f"{c}nhat-ky/kiem-tra-toan-ven/"
    page = clients["admin"].get(verify).content.decode()
    entries = Change.objects.filter(chain=chain_of(campaign)).count()
    assert f"Nhật ký toàn vẹn: {entries} mục" in page

    # the export carries the log (and the council's points), which verifies without the workspace
    archive = zipfile.ZipFile(io.BytesIO(b"".join(clients["admin"].get(f"{c}xuat.zip").streaming_content)))
    names = archive.namelist()
    log = next(n for n in names if n.endswith("/tham-dinh-va-nhat-ky/nhat-ky.jsonl"))
    assert any(n.endswith("/tham-dinh-va-nhat-ky/tham-dinh.yaml") for n in names)
    exported = read_export(archive.read(log).decode("utf-8").splitlines())
    assert len(exported[chain_of(campaign)]) == entries
    assert verify_chain(chain_of(campaign), exported[chain_of(campaign)]) == []

    # behind the application's back: one past point changed, one entry of the log (the submission) deleted
    AppraisalPoint.objects.filter(campaign=campaign, criterion="2.1.1", round=1).update(points="1")
    submission = Change.objects.get(campaign=campaign, action="submit")
    Change.objects.filter(pk=submission.pk).delete()
    report = verify_campaign(campaign)
    messages = [f.message for f in report.findings]
    assert any(
        m.startswith("điểm thẩm định 2.1.1 trong cơ sở dữ liệu khác với lần ghi cuối trong nhật ký")
        and m.endswith("points: nhật ký '0.5', cơ sở dữ liệu '1'")
        for m in messages
    ), messages
    assert any(m.startswith(f"mục số {submission.seq} (sau mục số {submission.seq - 1}, ") for m in messages), messages
    page = clients["admin"].get(verify).content.decode()
    assert "Nhật ký hoặc cơ sở dữ liệu đã bị sửa ngoài không gian làm việc" in page
    for message in messages:
        assert message.replace("'", "&#x27;") in page

    # hiding the edit by rewriting its log entry too: the entry no longer matches its hash
    logged_point = Change.objects.filter(campaign=campaign, action="points").order_by("seq").last()
    Change.objects.filter(pk=logged_point.pk).update(after={**logged_point.after, "points": "1"})
    kinds = {(f.kind, f.seq) for f in verify_campaign(campaign).findings}
    assert ("edited", logged_point.seq) in kinds
    assert not any(
        f.startswith("điểm thẩm định 2.1.1") for f in (x.message for x in verify_campaign(campaign).findings)
    )


def test_points_given_through_the_application_keep_the_log_intact(logged):
    campaign, clients = logged
    from django.contrib.auth import get_user_model

    assert clients["admin"].post(f"/chien-dich/{campaign.pk}/tham-dinh/mo/", {"council": "Hội đồng"}).status_code == 302
    appraiser = get_user_model().objects.get(username="thamdinh")
    save_points(appraiser, campaign, "1.1.1", 1, Decimal("0"), "", version=None)
    point = AppraisalPoint.objects.get(campaign=campaign)
    save_points(appraiser, campaign, "1.1.1", 1, Decimal("0.5"), "Sửa", version=point.version)
    assert verify_campaign(campaign).findings == []
    AppraisalPoint.objects.filter(pk=point.pk).update(comment="Ý kiến bị sửa")
    assert [f.kind for f in verify_campaign(campaign).findings] == ["state"]


def test_the_administrators_own_records_are_logged_edited_and_deleted(logged):
    campaign, clients = logged
    c = f"/chien-dich/{campaign.pk}/so-lieu-chung/"
    document = {
        "documents-kind": "quyet_dinh",
        "documents-number": "15/QĐ-UBND",
        "documents-issuer": "UBND tỉnh Tây Ninh",
        "documents-issue_date": "15/01/2024",
        "documents-title": "Quyết định thành lập Hội đồng thẩm định",
    }
    response = clients["admin"].post(c + "luu/documents/moi/", document)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Record.objects.get(campaign=campaign, part__isnull=True)
    # deleting locks the record's row: by its key, never through the (nullable) part PostgreSQL cannot lock
    assert clients["admin"].post(f"{c}ban-ghi/{record.pk}/xoa/", {"version": record.version}).status_code == 302
    assert not Record.objects.filter(campaign=campaign, part__isnull=True).exists()
    actions = list(Change.objects.filter(campaign=campaign, section="documents").values_list("action", flat=True))
    assert actions == ["create", "delete"]
    assert verify_campaign(campaign).findings == []
