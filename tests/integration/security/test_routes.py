"""Every route declares who may use it; every response carries the security headers."""

from lehc.models import Role
from lehc.policy import PERMISSION_ATTRIBUTE
from tests.conftest import parse

# Flask's own static route serves CSS/JS only (no data); everything else must declare a permission.
UNDECLARED_ALLOWED = {"static", "assets.static"}


def test_every_route_declares_a_permission(app):
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNDECLARED_ALLOWED
        and not hasattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE)
    ]
    assert undeclared == []


def test_no_route_that_names_a_record_declares_only_signed_in(app):
    """A route with an id in its URL declares, before the view runs, who may reach that record (lehc.access.record,
    or an administrator's role): never `@signed_in` alone with a check remembered inside the view."""
    bare = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if any(argument.endswith("_id") for argument in rule.arguments)
        and getattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE, None) == "signed_in"
    )
    assert bare == []


def test_pages_carry_security_headers_and_are_not_cached(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    scripts = parse(response).select("script")
    assert scripts and all(script.get("nonce") == nonce for script in scripts)


def test_unknown_pages_get_the_not_found_page_in_the_services_own_layout(client_as):
    response = client_as(Role.MEMBER).get("/no-such-page")
    assert response.status_code == 404
    page = parse(response)
    assert page.select_one("h1").get_text(strip=True) == "Page not found"
    assert page.select_one("[data-testid=header]") is not None  # the service's header (it is not on GOV.UK)
    assert page.select_one("header.govuk-header") is None


def test_a_crash_gets_the_govuk_problem_page(app, client):
    def explode():
        raise RuntimeError("boom")

    app.add_url_rule("/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/explode")
    assert response.status_code == 500
    assert parse(response).select_one("h1").get_text(strip=True) == "Sorry, there is a problem with the service"


def test_govuk_frontend_assets_are_served(client):
    assert client.get("/static/govuk/govuk-frontend.min.css").status_code == 200
    assert client.get("/assets/fonts/light-94a07e06a1-v2.woff2").status_code == 200
    assert client.get("/assets/rebrand/images/favicon.svg").status_code == 200


def test_health_check_is_public(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
