import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from lehc.auth.sessions import SESSION_KEY
from lehc.models import AuditEvent, OutboxMessage, Role, SignInThrottle, User
from lehc.models.people import utcnow
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
    assert headings == ["Durham LEHC", "My meetings", "My actions"]  # a chair's desk for the locality, then their own
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
        assert session["_user_id"] == user.get_id()


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


# ---------------------------------------------------------------- sessions, lockout, passwords


def test_an_idle_session_ends_after_the_idle_timeout(app, client, factories):
    user = factories.user()
    sign_in_as(client, user)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["last_seen_at"] -= 31 * 60
    response = client.get("/", follow_redirects=True)
    assert response.request.path == "/sign-in"
    assert (
        "signed out after 30 minutes without activity" in parse(response).select_one(".govuk-notification-banner").text
    )


def test_a_busy_session_still_ends_after_the_absolute_timeout(app, client, factories):
    sign_in_as(client, factories.user())
    with client.session_transaction() as session:
        session["signed_in_at"] -= 12 * 3600 + 60
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_activity_keeps_a_session_alive(app, client, factories):
    sign_in_as(client, factories.user())
    with client.session_transaction() as session:
        session["last_seen_at"] -= 29 * 60
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["last_seen_at"] -= 29 * 60
    assert client.get("/").status_code == 200


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _error(response) -> str:
    return parse(response).select_one(".govuk-error-summary a").get_text(strip=True)


def test_wrong_passwords_slow_that_address_down_from_that_client_and_the_wait_ends(app, client, factories, db):
    user = factories.user()
    errors = [_error(sign_in(client, user.email, "wrong password again")) for _ in range(5)]
    assert errors == ["Enter a correct email address and password"] * 4 + [
        "Too many attempts to sign in with this email address. Wait 1 minute, then try again"
    ]
    # even the right password is not tried while the address waits, from this client
    assert _error(sign_in(client, user.email)) == errors[-1]
    # someone else's guessing does not lock the holder out: from their own computer they sign in at once
    own = client_at(app, "10.1.2.3")
    assert sign_in(own, user.email).status_code == 302
    # each further failure doubles the wait, up to LOCKOUT_MINUTES
    for _ in range(5):
        db.session.execute(update(SignInThrottle).values(blocked_until=None))
        db.session.commit()
        last = _error(sign_in(client, user.email, "wrong password again"))
    assert last.startswith("Too many attempts") and "Wait 15 minutes" in last
    db.session.execute(update(SignInThrottle).values(blocked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert sign_in(client, user.email).status_code == 302  # the wait is over; success clears the counts
    assert db.session.scalar(select(func.count(SignInThrottle.id))) == 0


def test_a_known_and_an_unknown_address_get_the_same_answers(app, factories, db):
    user = factories.user(email="known.person@example.org")
    db.session.commit()

    def answers(email: str) -> list[tuple[int, str]]:
        client = app.test_client()
        return [
            (response.status_code, _error(response))
            for response in (sign_in(client, email, "wrong password again") for _ in range(7))
        ]

    assert answers(user.email) == answers("no.such.person@example.org")
    # and the stored counts cannot be read back as addresses
    assert not any("example.org" in key for key in db.session.scalars(select(SignInThrottle.key_hash)))


def test_the_account_holder_is_told_by_email_once_when_their_address_is_slowed_down(app, factories, db):
    user = factories.user(email="holder@example.org")
    db.session.commit()
    for address in ("10.0.0.1", "10.0.0.2"):  # two clients, each slowed down: one e-mail in LOCKOUT_MINUTES
        attacker = client_at(app, address)
        for _ in range(6):
            sign_in(attacker, user.email, "wrong password again")
    for _ in range(6):
        sign_in(app.test_client(), "nobody.here@example.org", "wrong password again")
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.recipient, m.subject) for m in messages] == [(user.email, "Sign-in attempts on your LEHC account")]
    assert "/forgot-password" in messages[0].body and "wrong password" in messages[0].body


def test_sign_ins_and_failures_are_audited(app, client, factories, db):
    user = factories.user()
    sign_in(client, user.email, "wrong password again")
    sign_in(client, "nobody@example.org", "wrong password again")
    sign_in(client, user.email)
    events = db.session.execute(select(AuditEvent.action, AuditEvent.object_id).order_by(AuditEvent.id)).all()
    assert [tuple(e) for e in events] == [
        ("sign_in_failed", user.id),
        ("sign_in_failed", None),
        ("sign_in_password", user.id),
        ("sign_in", user.id),
    ]


def test_changing_the_password_signs_out_every_other_session(app, factories, db):
    user = factories.user()
    mine, other = sign_in_as(app.test_client(), user), sign_in_as(app.test_client(), user)
    form = {"current_password": TEST_PASSWORD, "new_password": "a brand new long secret", "confirm_password": "x"}
    page = parse(mine.post("/account/password", data=form))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "The passwords do not match"
    form["confirm_password"] = form["new_password"]
    assert mine.post("/account/password", data=form).status_code == 302
    assert mine.get("/").status_code == 200
    assert other.get("/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("a brand new long secret")


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "Password must be 12 characters or more"),
        ("password1234", "Choose a password that is harder to guess: this one is too common"),
        ("aaaaaaaaaaaaaaaa", "Choose a password that is harder to guess: this one is too common"),
        ("Testy McTestface 99", "Choose a password that does not include your name or email address"),
    ],
)
def test_weak_new_passwords_are_refused(app, factories, password, message):
    user = factories.user(name="Testy McTestface")
    page = parse(
        sign_in_as(app.test_client(), user).post(
            "/account/password",
            data={"current_password": TEST_PASSWORD, "new_password": password, "confirm_password": password},
        )
    )
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [message]


def test_sign_in_attempts_are_throttled_per_address(database_url, app):
    from lehc.extensions import limiter

    throttled = make_test_app(database_url, RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute")
    limiter.reset()
    client = throttled.test_client()
    statuses = [sign_in(client, "nobody@example.org", "wrong password again").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert parse(sign_in(client, "x@example.org")).select_one("h1").get_text(strip=True) == "Too many attempts"
    assert client.get("/sign-in").status_code == 200  # reading the page is not limited
    limiter.reset()


@pytest.mark.parametrize("trusted_proxies, separate", [(0, False), (1, True)])
def test_behind_a_trusted_proxy_each_client_has_its_own_rate_limit(database_url, app, trusted_proxies, separate):
    from lehc.extensions import limiter

    proxied = make_test_app(
        database_url, RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute", TRUSTED_PROXIES=trusted_proxies
    )
    limiter.reset()
    proxy = {"REMOTE_ADDR": "10.9.9.9"}  # every request arrives from the proxy

    def attempt(client_address: str) -> int:
        headers = {"X-Forwarded-For": client_address}
        return (
            proxied.test_client()
            .post("/sign-in", data={"email": "a@example.org", "password": "x"}, headers=headers, environ_base=proxy)
            .status_code
        )

    assert [attempt("192.0.2.1") for _ in range(4)] == [200, 200, 200, 429]
    # another client behind the same proxy: its own bucket only when the proxy is trusted (otherwise the header,
    # which anyone can send, is ignored and cannot be used to dodge the limit)
    assert attempt("192.0.2.2") == (200 if separate else 429)
    limiter.reset()


# ---------------------------------------------------------------- password reset


def test_a_reset_link_is_sent_only_to_a_real_account_and_the_page_says_the_same_either_way(app, client, factories, db):
    from lehc.models import OutboxMessage

    user = factories.user(email="reset.me@example.org")
    known = parse(client.post("/forgot-password", data={"email": "Reset.Me@example.org"}))
    unknown = parse(client.post("/forgot-password", data={"email": "nobody@example.org"}))
    assert known.select_one("h1").text == unknown.select_one("h1").text == "Check your email"
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.recipient == user.email and message.subject == "Reset your LEHC password"


def reset_link(db) -> str:
    from lehc.models import OutboxMessage

    body = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first().body
    return re.search(r"http://[^/]+(/reset-password/\S+)", body).group(1)


def test_a_reset_link_works_once_and_ends_other_sessions(app, client, factories, db):
    user = factories.user(email="reset.me@example.org")
    elsewhere = sign_in_as(app.test_client(), user)
    client.post("/forgot-password", data={"email": user.email})
    link = reset_link(db)
    new = {"new_password": "a completely new secret", "confirm_password": "a completely new secret"}
    assert client.post(link, data=new).status_code == 302
    assert elsewhere.get("/").status_code == 302
    assert sign_in(client, user.email, "a completely new secret").status_code == 302
    again = app.test_client().get(link)
    assert again.status_code == 404 and "This link does not work" in parse(again).select_one("h1").text


def test_an_expired_reset_link_is_refused(app, client, factories, db, monkeypatch):
    import itsdangerous.timed

    user = factories.user(email="reset.me@example.org")
    client.post("/forgot-password", data={"email": user.email})
    link = reset_link(db)
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() + 61 * 60)
    assert client.get(link).status_code == 404


def test_a_copy_of_the_session_cookie_stops_working_at_sign_out(app, client, factories):
    user = factories.user()
    family = factories.family("DUR", presenter=user)
    sign_in(client, user.email)
    name = app.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(name).value
    assert client.get(f"/families/{family.id}").status_code == 200
    client.post("/sign-out")
    replay = app.test_client()
    replay.set_cookie(name, copied)
    response = replay.get(f"/families/{family.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_signing_out_everywhere_ends_every_browser_and_only_that_user(app, factories):
    user, other = factories.user(), factories.user()
    first, second = app.test_client(), app.test_client()
    sign_in(first, user.email)
    sign_in(second, user.email)
    someone_else = sign_in_as(app.test_client(), other)
    assert "Sign out everywhere" in parse(first.get("/profile")).get_text()
    response = first.post("/account/sign-out-everywhere", follow_redirects=True)
    assert "You have signed out on every device" in parse(response).get_text()
    assert first.get("/").status_code == 302 and second.get("/").status_code == 302
    assert someone_else.get("/").status_code == 200
    sign_in(second, user.email)  # signing in again works
    assert second.get("/").status_code == 200


def test_a_session_cookie_without_its_server_side_key_signs_nobody_in(app, factories):
    user = factories.user()
    client = sign_in_as(app.test_client(), user)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        del session[SESSION_KEY]
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_every_page_reads_its_user_with_one_statement_built_once(app, factories):
    """The sign-in check of each request runs the same statement object, its values bound at each request
    (auth.sessions._user_statements)."""
    users = [factories.user(), factories.user()]
    clients = [sign_in_as(app.test_client(), user) for user in users]
    reads: list[tuple[object, dict]] = []

    def note(state) -> None:
        reads.append((state.statement, dict(state.parameters or {})))

    event.listen(Session, "do_orm_execute", note)
    try:
        for client in clients + clients:
            assert client.get("/profile").status_code == 200
    finally:
        event.remove(Session, "do_orm_execute", note)
    user_reads = [(statement, values) for statement, values in reads if "key_hash" in values]
    assert [values["user_id"] for _, values in user_reads] == [user.id for user in users + users]
    assert len({id(statement) for statement, _ in user_reads}) == 1
