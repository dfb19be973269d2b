"""Sessions and forms: CSRF enforced on every write (with Django's own middleware), login required everywhere,
passwords hashed by Django, security headers on every page, errors in Vietnamese without a traceback."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from par_score.web.workspace.models import Record
from web.helpers import AGENCY_A, PASSWORD, part_of


def _csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def test_a_write_without_the_csrf_token_is_refused(campaign, accounts):
    part = part_of(campaign, AGENCY_A)
    client = _csrf_client(accounts["agency_a"])
    url = f"/chien-dich/{campaign.pk}/co-quan/{part.pk}/tieu-chi/2.1.1/them/metrics/"
    data = {"metrics-form": "ratio", "metrics-numerator": "1", "metrics-denominator": "1", "tieu_chi": "2.1.1"}
    refused = client.post(url, data)
    assert refused.status_code == 403
    assert "Phiên làm việc hết hạn" in refused.content.decode()
    assert not Record.objects.exists()
    page = client.get(f"/chien-dich/{campaign.pk}/co-quan/{part.pk}/tieu-chi/2.1.1/")
    token = page.context["csrf_token"]
    assert client.post(url, {**data, "csrfmiddlewaretoken": str(token)}).status_code == 302
    assert Record.objects.count() == 1


def test_login_logout_and_password_change_need_the_token_too(campaign, accounts):
    client = _csrf_client()
    assert client.post("/dang-nhap/", {"username": "tuphap", "password": PASSWORD}).status_code == 403
    page = client.get("/dang-nhap/")
    token = str(page.context["csrf_token"])
    response = client.post("/dang-nhap/", {"username": "tuphap", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.post("/dang-xuat/").status_code == 403  # logging out is a POST with a token as well


def test_a_wrong_password_is_answered_in_vietnamese(campaign, accounts):
    response = Client().post("/dang-nhap/", {"username": "tuphap", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_passwords_are_stored_hashed(db):
    get_user_model().objects.create_user("tuphap", password=PASSWORD)
    stored = get_user_model().objects.get(username="tuphap").password
    assert PASSWORD not in stored and stored.split("$")[0] in ("pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt")


def test_pages_carry_security_headers(clients, campaign):
    response = clients["agency_a"].get("/chien-dich/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    login = Client().get("/dang-nhap/")
    assert "cdn" not in login.content.decode().lower() and "http://" not in login.content.decode().replace(
        "http://www.w3.org", ""
    )


def test_an_unknown_page_is_a_vietnamese_404(clients):
    response = clients["agency_a"].get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
