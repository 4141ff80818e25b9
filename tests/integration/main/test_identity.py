"""A council and partnership service, not on GOV.UK: GOV.UK Frontend's components, none of the GOV.UK brand."""

import pytest

from lehc.models import Role
from tests.conftest import make_test_app, parse, sign_in_as

GOVUK_BRAND = [
    "GOV.UK",  # the logotype
    "govuk-header__logotype",
    "govuk-logo",  # the crown
    "govuk-footer__copyright-logo",  # the royal arms
    "govuk-footer__licence-logo",  # the Open Government Licence
    "Open Government Licence",
    "/images/favicon",  # the crown icons
    "govuk-icon",
    "govuk-opengraph-image",
]


@pytest.fixture
def pages(app, factories):
    chair = sign_in_as(app.test_client(), factories.user(Role.CHAIR, locality="DUR"))
    return {
        "sign-in": app.test_client().get("/sign-in"),
        "dashboard": chair.get("/"),
        "families": chair.get("/families"),
        "not found": chair.get("/families/999999"),
    }


def test_no_page_carries_the_govuk_brand_and_every_page_names_who_runs_the_service(pages):
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        for mark in GOVUK_BRAND:
            assert mark not in html, (name, mark)
        page = parse(response)
        assert (
            page.select_one("[data-testid=header]")
            .get_text(" ", strip=True)
            .startswith("Durham County Council and partners")
        ), name
        assert "© Durham County Council and partners" in page.select_one("[data-testid=footer]").get_text(), name
        assert page.select_one("link[rel=icon]")["href"].endswith("/static/favicon.svg"), name
        assert page.select_one("header .govuk-phase-banner") is not None, name  # inside a landmark


def test_the_organisation_is_a_setting(database_url):
    app = make_test_app(database_url, ORGANISATION_NAME="Testshire Council")
    html = app.test_client().get("/sign-in").get_data(as_text=True)
    assert "Testshire Council" in html and "Durham County Council" not in html


def test_the_stylesheet_gives_the_gov_uk_typeface_name_to_arial(app):
    css = app.test_client().get("/static/lehc.css").get_data(as_text=True)
    assert 'font-family: "GDS Transport";' in css and 'src: local("Arial")' in css
