"""Every URL of the workspace × every role: anonymous → the login page; a signed-in person without a role in the
campaign → 404; an agency on another agency's part, record or file → 404, in a URL or a form; a role the page is not
for → 403; an auditor never writes. Nothing is changed by a refused request."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver

from par_score.web.workspace.models import Change, Record, ScoringRun
from par_score.web.workspace.runs import run_scoring
from web.helpers import AGENCY_A, AGENCY_B, part_of

ROLES = ("anonymous", "outsider", "admin", "agency_a", "agency_b", "auditor")

# name → expected GET status per role (anything not listed: the page is not for it)
READ = {"admin": 200, "agency_a": 200, "agency_b": 404, "auditor": 200, "outsider": 404}
ADMIN_AUDITOR = {"admin": 200, "agency_a": 403, "agency_b": 403, "auditor": 200, "outsider": 404}
ADMIN_ONLY = {"admin": 200, "agency_a": 403, "agency_b": 403, "auditor": 403, "outsider": 404}
# A method an URL never answers is refused before any object is looked up: 405, whoever asks for whatever id.
AGENCY_POST_ONLY = {"admin": 403, "agency_a": 405, "agency_b": 405, "auditor": 403, "outsider": 404}
ADMIN_POST_ONLY = {"admin": 405, "agency_a": 403, "agency_b": 403, "auditor": 403, "outsider": 404}
GET = {
    "home": {"admin": 302, "agency_a": 302, "agency_b": 302, "auditor": 302, "outsider": 302},
    "campaigns": {"admin": 200, "agency_a": 200, "agency_b": 200, "auditor": 200, "outsider": 200},
    "campaign_new": {"admin": 200, "agency_a": 403, "agency_b": 403, "auditor": 403, "outsider": 403},
    "campaign": {"admin": 302, "agency_a": 302, "agency_b": 302, "auditor": 302, "outsider": 404},
    "dashboard": ADMIN_AUDITOR,
    "campaign_settings": ADMIN_ONLY,
    "accounts": ADMIN_ONLY,
    "account_remove": ADMIN_POST_ONLY,
    "account_password": ADMIN_POST_ONLY,
    "part": READ,
    "criterion": READ,
    "record_new": AGENCY_POST_ONLY,
    "workbook_upload": AGENCY_POST_ONLY,
    "template_download": READ,
    "plan": READ,
    "submit": AGENCY_POST_ONLY,
    "reopen": ADMIN_POST_ONLY,
    "record": READ,
    "record_delete": AGENCY_POST_ONLY,
    "attached_file": READ,
    "audit": ADMIN_AUDITOR,
    "audit_criterion": ADMIN_AUDITOR,
    "changes": ADMIN_AUDITOR,
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
    "workbook_upload": {"agency_a"},
    "submit": {"agency_a"},
    "reopen": {"admin"},
    "record": {"agency_a"},
    "record_delete": {"agency_a"},
    "runs": {"admin"},
    "import": {"admin"},
}
NOT_WORKSPACE = {"login", "logout", "password_change", "password_change_done"}


def workspace_urls() -> dict[str, URLPattern]:
    found = {}
    for entry in get_resolver().url_patterns:
        for pattern in getattr(entry, "url_patterns", [entry]):
            found[pattern.name] = pattern
    return found


@pytest.fixture
def targets(imported, accounts):
    """An object of agency A for every kind of id in a URL."""
    part = part_of(imported, AGENCY_A)
    record = Record.objects.filter(part=part, section="metrics").first()
    member = imported.members.get(user=accounts["agency_b"])
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
        "member_id": member.pk,
        "number": 1,
        "name": "ket-qua.json",
        "sha256": "",
    }


def url_for(name: str, pattern: URLPattern, targets: dict) -> str:
    from django.urls import reverse

    kwargs = {key: targets[key] for key in pattern.pattern.converters}
    url = reverse(name, kwargs=kwargs)
    return url + ("?a=1&b=2" if name == "run_compare" else "")


def test_every_url_is_in_the_matrix():
    assert set(workspace_urls()) - NOT_WORKSPACE == set(GET)


def test_every_url_for_every_role(clients, targets, imported):
    attached = Record.objects.filter(campaign=imported).exclude(file_sha256="").first()
    if attached is not None:
        targets = {**targets, "sha256": attached.file_sha256}
    else:  # the example has no attached files: attach one to agency A's record through the form
        targets = {**targets, "sha256": _attach(clients["agency_a"], imported)}
    failures = []
    for name, pattern in workspace_urls().items():
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
                failures.append(f"GET {name} as {role}: {response.status_code}, expected {expected}")
    assert failures == []


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


def test_refused_writes_change_nothing(clients, targets, imported):
    failures = []
    before = (Change.objects.count(), list(Record.objects.order_by("pk").values_list("pk", "version")))
    for name, pattern in workspace_urls().items():
        if name in NOT_WORKSPACE or name not in POST:
            continue
        url = url_for(name, pattern, targets)
        for role in ROLES:
            if role in POST[name]:
                continue
            response = clients[role].post(url, {"version": 1, "password": "mot-mat-khau-rat-dai-2024"})
            expected = (302,) if role == "anonymous" else (403, 404)
            if response.status_code not in expected:
                failures.append(f"POST {name} as {role}: {response.status_code}")
    after = (Change.objects.count(), list(Record.objects.order_by("pk").values_list("pk", "version")))
    assert failures == []
    assert after == before


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
