"""Every URL of the workspace × every role: anonymous → the login page; a signed-in person without a role in the
campaign → 404; an agency on another agency's part, record or file → 404, in a URL or a form; a role the page is not
for → 403; an auditor never writes; an appraiser reads the evidence and gives the council's points, never writes
evidence. Nothing is changed by a refused request. The pages are checked before the appraisal and again in its
round 2 (points and comments given, a giải trình sent), when every appraisal page has something to show."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver

from par_score.web.workspace.appraisals import advance, open_appraisal, save_points, save_reply
from par_score.web.workspace.models import Appraisal, AppraisalPoint, AppraisalReply, Change, Record, ScoringRun
from par_score.web.workspace.records import save_record
from par_score.web.workspace.runs import run_scoring
from web.helpers import AGENCY_A, AGENCY_B, part_of

ROLES = ("anonymous", "outsider", "admin", "agency_a", "agency_b", "auditor", "appraiser")

# name → expected GET status per role (anything not listed: the page is not for it)
READ = {"admin": 200, "agency_a": 200, "agency_b": 404, "auditor": 200, "appraiser": 403, "outsider": 404}
# the evidence as the council reads it: a record and its attached file, also for the appraiser
EVIDENCE = {**READ, "appraiser": 200}
ADMIN_AUDITOR = {"admin": 200, "agency_a": 403, "agency_b": 403, "auditor": 200, "appraiser": 403, "outsider": 404}
ADMIN_AUDITOR_APPRAISER = {**ADMIN_AUDITOR, "appraiser": 200}
ADMIN_ONLY = {"admin": 200, "agency_a": 403, "agency_b": 403, "auditor": 403, "appraiser": 403, "outsider": 404}
# A method an URL never answers is refused before any object is looked up: 405, whoever asks for whatever id.
AGENCY_POST_ONLY = {"admin": 403, "agency_a": 405, "agency_b": 405, "auditor": 403, "appraiser": 403, "outsider": 404}
ADMIN_POST_ONLY = {"admin": 405, "agency_a": 403, "agency_b": 403, "auditor": 403, "appraiser": 403, "outsider": 404}
APPRAISER_POST_ONLY = {
    "admin": 403,
    "agency_a": 403,
    "agency_b": 403,
    "auditor": 403,
    "appraiser": 405,
    "outsider": 404,
}
GET = {
    "home": {"admin": 302, "agency_a": 302, "agency_b": 302, "auditor": 302, "appraiser": 302, "outsider": 302},
    "campaigns": {"admin": 200, "agency_a": 200, "agency_b": 200, "auditor": 200, "appraiser": 200, "outsider": 200},
    "campaign_new": {
        "admin": 200,
        "agency_a": 403,
        "agency_b": 403,
        "auditor": 403,
        "appraiser": 403,
        "outsider": 403,
    },
    "campaign": {"admin": 302, "agency_a": 302, "agency_b": 302, "auditor": 302, "appraiser": 302, "outsider": 404},
    "dashboard": ADMIN_AUDITOR,
    "campaign_settings": ADMIN_ONLY,
    "accounts": ADMIN_ONLY,
    "account_remove": ADMIN_POST_ONLY,
    "account_password": ADMIN_POST_ONLY,
    "part": READ,
    "criterion": READ,
    "record_new": AGENCY_POST_ONLY,
    "appraisal_reply": AGENCY_POST_ONLY,
    "workbook_upload": AGENCY_POST_ONLY,
    "template_download": READ,
    "plan": READ,
    "submit": AGENCY_POST_ONLY,
    "reopen": ADMIN_POST_ONLY,
    "record": EVIDENCE,
    "record_delete": AGENCY_POST_ONLY,
    "common": ADMIN_AUDITOR,
    "common_save": ADMIN_POST_ONLY,
    "common_record": ADMIN_AUDITOR,
    "common_delete": ADMIN_POST_ONLY,
    "attached_file": EVIDENCE,
    "audit": ADMIN_AUDITOR_APPRAISER,
    "audit_criterion": ADMIN_AUDITOR_APPRAISER,
    "changes": ADMIN_AUDITOR,
    "verify": ADMIN_AUDITOR,
    "appraisal": ADMIN_AUDITOR_APPRAISER,
    "appraisal_open": ADMIN_POST_ONLY,
    "appraisal_advance": ADMIN_POST_ONLY,
    "appraisal_criterion": ADMIN_AUDITOR_APPRAISER,
    "appraisal_points": APPRAISER_POST_ONLY,
    "year_compare": ADMIN_AUDITOR,
    # the example's catalogue (the province's PAR INDEX) ranks no clusters: the page is refused by role first, then
    # answers 404 to the administrator (tests/web/test_web_compare.py ranks a sở catalogue's campaigns)
    "ranking": {**ADMIN_ONLY, "admin": 404},
    "runs": ADMIN_AUDITOR,
    "run_compare": ADMIN_AUDITOR,
    "run": ADMIN_AUDITOR,
    "run_file": ADMIN_AUDITOR,
    "export": ADMIN_AUDITOR,
    "import": ADMIN_ONLY,
}
# Who may POST (everyone else gets 403/404 and changes nothing).
POST = {
    "campaign_new": {"admin"},
    "campaign_settings": {"admin"},
    "accounts": {"admin"},
    "account_remove": {"admin"},
    "account_password": {"admin"},
    "record_new": {"agency_a"},
    "appraisal_reply": {"agency_a"},
    "workbook_upload": {"agency_a"},
    "submit": {"agency_a"},
    "reopen": {"admin"},
    "record": {"agency_a"},
    "record_delete": {"agency_a"},
    "common_save": {"admin"},
    "common_delete": {"admin"},
    "appraisal_open": {"admin"},
    "appraisal_advance": {"admin"},
    "appraisal_points": {"appraiser"},
    "runs": {"admin"},
    "import": {"admin"},
}
# What a refused POST carries: every field any of these forms reads, valid, so that only the role refuses it.
POSTED = {
    "version": 1,
    "password": "mot-mat-khau-rat-dai-2024",
    "points": "0",
    "comment": "Ý kiến giả mạo",
    "text": "Giải trình giả mạo",
    "council": "Hội đồng giả mạo",
    "state": "round2",
}
# Slow pages (the improvement plan, the workbook template) that show nothing of the appraisal: checked once.
NOTHING_OF_THE_APPRAISAL = {"plan", "template_download"}
NOT_WORKSPACE = {"login", "logout", "password_change", "password_change_done"}


def workspace_urls() -> dict[str, URLPattern]:
    found = {}
    for entry in get_resolver().url_patterns:
        for pattern in getattr(entry, "url_patterns", [entry]):
            found[pattern.name] = pattern
    return found


@pytest.fixture
def targets(imported, accounts):
    """An object of agency A for every kind of id in a URL, and a record of the campaign's own (common) data."""
    part = part_of(imported, AGENCY_A)
    record = Record.objects.filter(part=part, section="metrics").first()
    member = imported.members.get(user=accounts["agency_b"])
    common = save_record(
        accounts["admin"],
        None,
        "documents",
        {
            "id": "qd-thanh-lap-hoi-dong-2024",
            "kind": "quyet_dinh",
            "number": "15/QĐ-UBND",
            "issuer": "UBND tỉnh Tây Ninh",
            "issue_date": "2024-01-15",
            "title": "Quyết định thành lập Hội đồng thẩm định",
        },
        campaign=imported,
    ).record
    first = run_scoring(imported, accounts["admin"])
    ScoringRun.objects.create(  # a second run to compare with: the same files, recorded again
        campaign=imported,
        number=2,
        username=first.username,
        folder=first.folder,
        self_points=first.self_points,
        self_max=first.self_max,
    )
    return {
        "campaign_id": imported.pk,
        "part_id": part.pk,
        "code": "2.1.1",
        "section": "metrics",
        "record_id": record.pk,
        "common_record_id": common.pk,
        "member_id": member.pk,
        "number": 1,
        "name": "ket-qua.json",
        "sha256": "",
        "key": "",
    }


def into_round_2(campaign, accounts) -> None:
    """The appraisal opened, the council's round-1 points and comment on 2.1.1, round 2, agency A's giải trình."""
    from decimal import Decimal

    open_appraisal(accounts["admin"], campaign, "Hội đồng thẩm định Chỉ số CCHC năm 2024", None)
    save_points(accounts["appraiser"], campaign, "2.1.1", 1, Decimal("0.5"), "Thiếu danh mục văn bản", version=None)
    advance(accounts["admin"], campaign, Appraisal.ROUND_1)
    save_reply(accounts["agency_a"], part_of(campaign, AGENCY_A), "2.1.1", "Đã bổ sung danh mục", version=None)


def url_for(name: str, pattern: URLPattern, targets: dict) -> str:
    from django.urls import reverse

    common = name in ("common_record", "common_delete")
    kwargs = {
        key: targets["common_record_id" if common and key == "record_id" else key] for key in pattern.pattern.converters
    }
    if name == "common_save":
        kwargs.update(section="documents", key="moi")
    url = reverse(name, kwargs=kwargs)
    return url + ("?a=1&b=2" if name == "run_compare" else "")


def test_every_url_is_in_the_matrix():
    assert set(workspace_urls()) - NOT_WORKSPACE == set(GET)


def test_every_url_for_every_role(clients, targets, imported, accounts):
    attached = Record.objects.filter(campaign=imported).exclude(file_sha256="").first()
    if attached is not None:
        targets = {**targets, "sha256": attached.file_sha256}
    else:  # the example has no attached files: attach one to agency A's record through the form
        targets = {**targets, "sha256": _attach(clients["agency_a"], imported)}
    failures = _refusals(clients, targets, "trước thẩm định", workspace_urls())
    into_round_2(imported, accounts)
    again = {name: p for name, p in workspace_urls().items() if name not in NOTHING_OF_THE_APPRAISAL}
    failures += _refusals(clients, targets, "vòng 2 thẩm định", again)
    assert failures == []


def _refusals(clients, targets, moment: str, urls: dict[str, URLPattern]) -> list[str]:
    failures = []
    for name, pattern in urls.items():
        if name in NOT_WORKSPACE:
            continue
        url = url_for(name, pattern, targets)
        for role in ROLES:
            response = clients[role].get(url)
            if role == "anonymous":
                ok = response.status_code == 302 and "/dang-nhap/" in response["Location"]
                expected = "302 → đăng nhập"
            else:
                expected = GET[name][role]
                ok = response.status_code == expected
            if not ok:
                failures.append(f"{moment}: GET {name} as {role}: {response.status_code}, expected {expected}")
    return failures


def _attach(client, campaign) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    part = part_of(campaign, AGENCY_A)
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n% bang chung\n", content_type="application/pdf")
    record = Record.objects.get(part=part, section="documents", key="kh-ra-soat-vbqppl-2024")
    data = {
        f"documents-{k}": v
        for k, v in record.data.items()
        if k in ("id", "kind", "number", "issuer", "title", "locator")
    }
    data.update(
        {
            "documents-issue_date": "02/02/2024",
            "documents-topics": record.data["topics"],
            "documents-file": pdf,
            "version": record.version,
            "tieu_chi": "2.2.1",
        }
    )
    response = client.post(f"/chien-dich/{campaign.pk}/ban-ghi/{record.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    return record.file_sha256


def _state():
    return (
        Change.objects.count(),
        list(Record.objects.order_by("pk").values_list("pk", "version")),
        list(Appraisal.objects.values_list("pk", "state", "version")),
        list(AppraisalPoint.objects.order_by("pk").values_list("pk", "points", "comment", "version")),
        list(AppraisalReply.objects.order_by("pk").values_list("pk", "text", "version")),
    )


def test_refused_writes_change_nothing(clients, targets, imported, accounts):
    failures = _refused_posts(clients, targets, "trước thẩm định")
    into_round_2(imported, accounts)
    failures += _refused_posts(clients, targets, "vòng 2 thẩm định")
    assert failures == []
    # the same requests by the roles they are for are accepted: only the role refused them
    code = {"campaign_id": imported.pk, "code": "2.1.1"}
    reply = url_for("appraisal_reply", workspace_urls()["appraisal_reply"], targets)
    assert clients["agency_a"].post(reply, POSTED).status_code == 302
    assert AppraisalReply.objects.get().text == POSTED["text"]
    points = url_for("appraisal_points", workspace_urls()["appraisal_points"], {**targets, **code})
    assert clients["appraiser"].post(points, {**POSTED, "version": ""}).status_code == 302
    assert AppraisalPoint.objects.get(round=2).comment == POSTED["comment"]


def _refused_posts(clients, targets, moment: str) -> list[str]:
    failures = []
    before = _state()
    for name, pattern in workspace_urls().items():
        if name in NOT_WORKSPACE or name not in POST:
            continue
        url = url_for(name, pattern, targets)
        for role in ROLES:
            if role in POST[name]:
                continue
            response = clients[role].post(url, POSTED)
            expected = (302,) if role == "anonymous" else (403, 404)
            if response.status_code not in expected:
                failures.append(f"{moment}: POST {name} as {role}: {response.status_code}")
    if _state() != before:
        failures.append(f"{moment}: a refused POST changed something")
    return failures


def test_an_agency_tampering_with_forms_reaches_nothing_of_another(clients, imported):
    a, b = part_of(imported, AGENCY_A), part_of(imported, AGENCY_B)
    client = clients["agency_b"]
    foreign_doc = Record.objects.filter(part=a, section="documents").first()
    before = Change.objects.count()
    # another agency's criterion on its own part's URL
    assert client.post(f"/chien-dich/{imported.pk}/co-quan/{b.pk}/tieu-chi/2.1.1/them/metrics/", {}).status_code == 404
    # its own criterion, citing another agency's document
    response = client.post(
        f"/chien-dich/{imported.pk}/co-quan/{b.pk}/tieu-chi/1.1.2/them/explanations/",
        {"explanations-text": "Giải trình", "explanations-documents": [foreign_doc.key]},
    )
    assert response.status_code == 400
    assert f"{foreign_doc.key} không phải là một trong các lựa chọn khả thi" in response.content.decode()
    # a record of another agency, by id, to edit or delete
    assert client.post(f"/chien-dich/{imported.pk}/ban-ghi/{foreign_doc.pk}/", {"version": 1}).status_code == 404
    assert client.post(f"/chien-dich/{imported.pk}/ban-ghi/{foreign_doc.pk}/xoa/", {"version": 1}).status_code == 404
    assert Change.objects.count() == before


def test_a_person_of_another_campaign_sees_nothing_of_this_one(clients, imported, accounts, db):
    from par_score.web.workspace.models import Membership
    from web.helpers import make_campaign

    other = make_campaign("Chiến dịch khác")
    Membership.objects.create(campaign=other, user=accounts["outsider"], role="agency", agency=AGENCY_A)
    part = part_of(imported, AGENCY_A)
    client = clients["outsider"]
    assert client.get(f"/chien-dich/{imported.pk}/co-quan/{part.pk}/").status_code == 404
    assert client.get(f"/chien-dich/{other.pk}/co-quan/{part.pk}/").status_code == 404  # part of another campaign
    assert client.get(f"/chien-dich/{other.pk}/co-quan/{part_of(other, AGENCY_A).pk}/").status_code == 200
    listing = client.get("/chien-dich/").content.decode()
    assert "Chiến dịch khác" in listing and imported.name not in listing
