"""Fixtures of the workspace tests: a campaign for the bundled example (Tây Ninh 2024), one account per role, and
clients logged in as each. The database is SQLite, or PostgreSQL when PAR_SCORE_TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from par_score.web.workspace.files import Upload
from par_score.web.workspace.importing import import_bundle
from par_score.web.workspace.models import Membership
from web.helpers import AGENCY_A, AGENCY_B, PASSWORD, example_zip, make_campaign


@pytest.fixture(autouse=True)
def fresh_outcomes():
    """Scoring outcomes are kept per process; every test starts without those of another test's database."""
    from par_score.web.workspace.parts import outcomes

    outcomes.clear()
    yield
    outcomes.clear()


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def fast_hashing(settings):
    """Accounts made for the test client only (never logged into by a separate server): a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def accounts(db, campaign, fast_hashing):
    users = get_user_model()
    admin = users.objects.create_superuser("quantri", password=PASSWORD, email="")
    a = users.objects.create_user("tuphap", password=PASSWORD)
    b = users.objects.create_user("noivu", password=PASSWORD)
    auditor = users.objects.create_user("kiemtra", password=PASSWORD)
    appraiser = users.objects.create_user("thamdinh", password=PASSWORD, first_name="Lê Văn Thẩm")
    outsider = users.objects.create_user("nguoingoai", password=PASSWORD)
    Membership.objects.create(campaign=campaign, user=a, role="agency", agency=AGENCY_A)
    Membership.objects.create(campaign=campaign, user=b, role="agency", agency=AGENCY_B)
    Membership.objects.create(campaign=campaign, user=auditor, role="auditor")
    Membership.objects.create(campaign=campaign, user=appraiser, role="appraiser")
    return {
        "admin": admin,
        "agency_a": a,
        "agency_b": b,
        "auditor": auditor,
        "appraiser": appraiser,
        "outsider": outsider,
    }


@pytest.fixture
def clients(accounts):
    found = {"anonymous": Client()}
    for role, user in accounts.items():
        client = Client()
        client.force_login(user)
        found[role] = client
    return found


@pytest.fixture
def imported(campaign, accounts, tmp_path):
    """The campaign with the bundled example imported (as an administrator would, from a zip)."""
    path = example_zip(tmp_path)
    import_bundle(accounts["admin"], campaign, Upload(path, path.name, path.stat().st_size))
    return campaign


@pytest.fixture
def logged(imported, accounts):
    """The imported campaign with its accounts in its change log, as the accounts page logs them (the fixtures above
    create memberships directly): a workspace whose change log verifies intact."""
    from django.db import transaction

    from par_score.web.workspace.history import log_change, snapshot

    with transaction.atomic():
        for member in imported.members.select_related("user").order_by("pk"):
            log_change(
                imported, accounts["admin"], "member", agency=member.agency, target=member, after=snapshot(member)
            )
    return imported
