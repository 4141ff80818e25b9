"""On a 320 px phone no page scrolls sideways: tables collapse into stacked, labelled rows (issue 12)."""

import pytest

from tests.e2e.conftest import sign_in

PAGES = {
    "chair.durham@example.org": [
        "/",
        "/meetings",
        "/actions?scope=all&status=any",
        "/families",
        "/search",
        "/outbox",
        "/insight",
        "{locality}",
        "{locality}/closures",
        "{locality}/series/new",
        "{meeting}",
        "{meeting}/prepare",
        "{meeting}/pack",
        "{meeting}/agency-checks",
    ],
    "camhs.durham@example.org": ["/", "/meetings", "/actions", "{meeting}", "{meeting}/pack"],
}


@pytest.mark.parametrize("email", sorted(PAGES))
def test_no_page_scrolls_sideways_at_320_pixels(browser, base_url, email):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, base_url, email)
    page.goto(base_url + "/meetings")
    places = {"meeting": page.locator("[data-testid=meetings] tbody a").first.get_attribute("href"), "locality": ""}
    if email.startswith("chair"):
        places["locality"] = page.get_by_role("link", name="Durham", exact=True).get_attribute("href")
    wide, failed = {}, {}
    for path in PAGES[email]:
        response = page.goto(base_url + path.format(**places))
        if response.status != 200:
            failed[path] = response.status
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    page.goto(base_url + "/search")  # and a search with results
    page.get_by_label("Search").fill("2026")
    page.get_by_role("button", name="Search").click()
    if page.evaluate("document.documentElement.scrollWidth") > 320:
        wide["/search (results)"] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert (wide, failed) == ({}, {})
