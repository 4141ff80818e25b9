"""Checks generated from the URL map, so a new route cannot escape them."""

import re

import pytest

from lehc.models import Role
from tests.conftest import make_test_app, sign_in_as


def concrete(rule) -> str:
    """The rule with every converter replaced by 1."""
    return re.sub(r"<[^>]+>", "1", rule.rule)


def post_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]


def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(database_url, app, factories):
    protected = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    user = factories.user(Role.CHAIR, locality="DUR")
    rules = post_rules(protected)
    assert len(rules) > 25
    for rule in rules:
        client = sign_in_as(protected.test_client(), user)
        missing = client.post(concrete(rule), data={"anything": "x"})
        wrong = client.post(concrete(rule), data={"csrf_token": "forged"})
        assert (rule.rule, missing.status_code, wrong.status_code) == (rule.rule, 400, 400)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_get_route_sends_the_security_headers(app, factories, signed_in):
    client = app.test_client()
    if signed_in:
        sign_in_as(client, factories.user(Role.CHAIR, locality="DUR"))
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "assets.static"):
            continue
        response = client.get(concrete(rule))
        headers = response.headers
        assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), rule.rule
        assert headers["X-Content-Type-Options"] == "nosniff", rule.rule
        assert headers["Referrer-Policy"] == "same-origin", rule.rule
        assert "camera=()" in headers["Permissions-Policy"], rule.rule
        assert response.status_code != 500, rule.rule
        if response.mimetype in ("text/html", "text/calendar", "text/csv") or "officedocument" in response.mimetype:
            assert headers["Cache-Control"] == "no-store", rule.rule


def test_hsts_is_sent_in_production_only(database_url, app, monkeypatch, tmp_path):
    production = make_test_app(database_url, LEHC_ENV="production", TOTP_REQUIRED=True)
    assert "max-age=31536000" in production.test_client().get("/sign-in").headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in app.test_client().get("/sign-in").headers
