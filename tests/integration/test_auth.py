import re

import pytest

from lehc.models import Role, User
from tests.conftest import TEST_PASSWORD, make_test_app, parse, sign_in_as


def sign_in(client, email, password=TEST_PASSWORD, **kwargs):
    return client.post("/sign-in", data={"email": email, "password": password}, **kwargs)


def test_signing_in_lands_on_the_dashboard_with_my_meetings_and_my_actions(client, factories):
    user = factories.user(Role.CHAIR, seat="Family Hub Team Manager", name="Dana Chair")
    response = sign_in(client, user.email, follow_redirects=True)
    page = parse(response)
    assert response.request.path == "/"
    assert page.select_one("h1").get_text(strip=True) == "Dashboard"
    headings = [h.get_text(strip=True) for h in page.select("h2.govuk-heading-m")]
    assert headings == ["My meetings", "My actions"]
    assert "Durham LEHC (core member, Family Hub Team Manager)" in page.select_one("main").get_text(" ", strip=True)
    assert page.select_one("[data-testid=no-meetings]") is not None


def test_sign_in_records_when_the_user_last_signed_in(client, factories, db):
    user = factories.user()
    assert user.last_sign_in_at is None
    sign_in(client, user.email)
    db.session.expire_all()
    assert db.session.get(User, user.id).last_sign_in_at is not None


def test_email_address_is_matched_regardless_of_case(client, factories):
    factories.user(email="mixed.case@example.org")
    response = sign_in(client, "  Mixed.Case@EXAMPLE.org")
    assert response.status_code == 302


@pytest.mark.parametrize("email, password", [("known", "wrong password!"), ("nobody@example.org", TEST_PASSWORD)])
def test_wrong_password_or_unknown_email_gives_the_same_message(client, factories, email, password):
    user = factories.user()
    response = sign_in(client, user.email if email == "known" else email, password)
    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("title").get_text().startswith("Error: ")
    summary = page.select_one(".govuk-error-summary")
    assert summary.select_one("a").get_text(strip=True) == "Enter a correct email address and password"
    assert summary.select_one("a")["href"] == "#email"
    assert client.get("/").status_code == 302  # still signed out


def test_an_inactive_user_cannot_sign_in(client, factories):
    user = factories.user(active=False)
    response = sign_in(client, user.email)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in parse(response).select_one(".govuk-error-summary").text


def test_empty_fields_are_reported_in_the_error_summary_and_inline(client):
    page = parse(sign_in(client, "", ""))
    errors = [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    assert errors == ["Enter your email address", "Enter your password"]
    assert page.select_one("#email-error").get_text(" ", strip=True) == "Error: Enter your email address"


def test_deactivating_a_user_ends_their_existing_session(app, client, factories, db):
    user = factories.user()
    sign_in_as(client, user)
    assert client.get("/").status_code == 200
    user.active = False
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_sign_out_is_a_post_that_ends_the_session(client, factories):
    user = factories.user()
    sign_in(client, user.email)
    assert client.get("/sign-out").status_code == 405
    response = client.post("/sign-out", follow_redirects=True)
    assert response.request.path == "/sign-in"
    assert "You have signed out" in parse(response).select_one(".govuk-notification-banner").text
    assert client.get("/").status_code == 302


def test_anonymous_users_are_sent_to_sign_in_and_brought_back_afterwards(client, factories):
    user = factories.user(Role.ADMIN)
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Fadmin%2Fusers"
    response = sign_in(client, user.email, query_string={"next": "/admin/users"})
    assert response.headers["Location"] == "/admin/users"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(client, factories, target):
    user = factories.user()
    response = sign_in(client, user.email, query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_the_session_is_renewed_at_sign_in(client, factories):
    user = factories.user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == str(user.id)


@pytest.fixture
def csrf_app(database_url, app):
    """The same database, with CSRF protection on as in production."""
    return make_test_app(database_url, WTF_CSRF_ENABLED=True)


def test_a_post_without_a_csrf_token_is_rejected(csrf_app, factories):
    user = factories.user()
    client = csrf_app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert parse(response).select_one("h1").get_text(strip=True) == "Sorry, there is a problem with the service"


def test_a_post_with_the_form_csrf_token_is_accepted(csrf_app, factories):
    user = factories.user()
    client = csrf_app.test_client()
    token = parse(client.get("/sign-in")).select_one("input[name=csrf_token]")["value"]
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert re.fullmatch(r"/", response.headers["Location"])
