"""Every account signs in with a password and a code from an authenticator app (TOTP), or a recovery code."""

import time

import pyotp
import pytest
from sqlalchemy import select

from lehc import create_app
from lehc.config import ConfigError
from lehc.models import RecoveryCode, Role, User
from tests.conftest import TEST_PASSWORD, make_test_app, parse, sign_in_as


@pytest.fixture
def totp_app(database_url, app):
    return make_test_app(database_url, TOTP_REQUIRED=True)


def password_step(client, user):
    return client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})


def enrolled(db, user, secret: str | None = None) -> str:
    secret = secret or pyotp.random_base32()
    user.totp_secret = secret
    db.session.commit()
    return secret


def test_a_first_sign_in_sets_up_the_authenticator_and_shows_recovery_codes_once(totp_app, factories, db):
    user = factories.user()
    client = totp_app.test_client()
    response = password_step(client, user)
    assert response.headers["Location"] == "/sign-in/set-up-authenticator"
    assert client.get("/").status_code == 302  # the password alone does not sign in
    page = parse(client.get("/sign-in/set-up-authenticator"))
    assert page.select_one(".lehc-qr svg[role=img]") is not None
    secret = page.select_one("[data-testid=totp-secret]").get_text(strip=True)
    page = parse(client.post("/sign-in/set-up-authenticator", data={"code": "000000"}))
    assert "Enter the 6-digit code your authenticator app shows now" in page.select_one(".govuk-error-summary").text
    page = parse(client.post("/sign-in/set-up-authenticator", data={"code": pyotp.TOTP(secret).now()}))
    codes = [code.get_text(strip=True) for code in page.select("[data-testid=recovery-codes] code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept


def test_a_wrong_or_replayed_code_is_refused(totp_app, factories, db):
    user = factories.user()
    secret = enrolled(db, user)
    code = pyotp.TOTP(secret).now()
    first = totp_app.test_client()
    assert password_step(first, user).headers["Location"] == "/sign-in/code"
    page = parse(first.post("/sign-in/code", data={"code": "123456" if code != "123456" else "654321"}))
    assert "Enter a correct code" in page.select_one(".govuk-error-summary").text
    assert first.post("/sign-in/code", data={"code": code}).status_code == 302
    assert first.get("/").status_code == 200

    attacker = totp_app.test_client()  # someone who saw the code and knows the password
    password_step(attacker, user)
    page = parse(attacker.post("/sign-in/code", data={"code": code}))
    assert "A code can only be used once" in page.select_one(".govuk-error-summary").text
    assert attacker.get("/").status_code == 302


def test_a_recovery_code_works_once(totp_app, factories, db):
    from lehc.auth import two_factor

    user = factories.user()
    enrolled(db, user)
    codes = two_factor.new_recovery_codes(db.session.get(User, user.id))
    db.session.commit()
    client = totp_app.test_client()
    password_step(client, user)
    response = client.post("/sign-in/code", data={"code": codes[0].upper()}, follow_redirects=True)
    assert response.request.path == "/"
    assert "You have 9 left" in parse(response).select_one(".govuk-notification-banner").text
    again = totp_app.test_client()
    password_step(again, user)
    assert again.post("/sign-in/code", data={"code": codes[0]}).status_code == 200
    assert again.get("/").status_code == 302


def test_wrong_codes_count_towards_the_lockout(totp_app, factories, db):
    user = factories.user()
    enrolled(db, user)
    client = totp_app.test_client()
    password_step(client, user)
    responses = [client.post("/sign-in/code", data={"code": "000001"}) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 302]  # the fifth sends them back to sign in
    page = parse(password_step(client, user))  # and the password step waits too
    assert "Too many attempts to sign in with this email address" in page.select_one(".govuk-error-summary").text


def test_the_second_step_expires(totp_app, factories, db):
    user = factories.user()
    enrolled(db, user)
    client = totp_app.test_client()
    password_step(client, user)
    with client.session_transaction() as session:
        session["pending_at"] = time.time() - 301
    response = client.get("/sign-in/code")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"


def test_an_admin_resets_a_lost_authenticator(totp_app, factories, db):
    user = factories.user()
    enrolled(db, user)
    admin = sign_in_as(totp_app.test_client(), factories.user(Role.ADMIN, locality=None))
    victim_session = sign_in_as(totp_app.test_client(), user)
    admin.post(f"/admin/users/{user.id}/reset-two-factor")
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    assert victim_session.get("/").status_code == 302  # sessions ended
    assert password_step(totp_app.test_client(), user).headers["Location"] == "/sign-in/set-up-authenticator"


def test_demo_accounts_skip_the_second_factor_in_development_only(database_url, app, factories, db):
    user = factories.user()
    user.demo_account = True
    db.session.commit()
    development = make_test_app(database_url, LEHC_ENV="development", TOTP_REQUIRED=True)
    assert password_step(development.test_client(), user).headers["Location"] == "/"
    test_env = make_test_app(database_url, TOTP_REQUIRED=True)
    assert password_step(test_env.test_client(), user).headers["Location"] == "/sign-in/set-up-authenticator"


def test_production_refuses_to_turn_the_second_factor_off(monkeypatch, tmp_path):
    monkeypatch.setenv("LEHC_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="TOTP_REQUIRED cannot be turned off"):
        create_app({"LEHC_ENV": "production", "SECRET_KEY": "x" * 64, "TOTP_REQUIRED": False})


def test_a_pending_cookie_saved_before_the_lockout_takes_no_more_codes(totp_app, factories, db):
    user = factories.user()
    secret = enrolled(db, user)
    client = totp_app.test_client()
    password_step(client, user)
    cookie_name = totp_app.config["SESSION_COOKIE_NAME"]
    saved = client.get_cookie(cookie_name).value  # the pending cookie, copied before any wrong code
    for _ in range(5):
        client.post("/sign-in/code", data={"code": "000001"})
    replay = totp_app.test_client()
    replay.set_cookie(cookie_name, saved)
    right = pyotp.TOTP(secret).now()
    response = replay.post("/sign-in/code", data={"code": right})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert replay.get("/").status_code == 302  # not signed in
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step is None  # the right code was never even tried
