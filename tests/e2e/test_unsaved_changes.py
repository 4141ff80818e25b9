"""A page with typing at stake asks before it is left unsaved; saving it does not ask (issue 12)."""

from playwright.sync_api import expect

from tests.e2e.conftest import lehc_rows, sign_in


def test_leaving_a_form_with_unsaved_typing_asks_first(page, base_url):
    sign_in(page, base_url, "coordinator.teesdale@example.org")
    page.get_by_role("link", name="Teesdale LEHC", exact=True).click()
    lehc_rows(page.get_by_role("table", name="Upcoming meetings")).first.get_by_role("link").click()
    page.get_by_role("button", name="Add a discussion item").click()
    form_url = page.url
    asked = []

    def stay(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # 'stay on this page'

    page.on("dialog", stay)
    page.get_by_role("link", name="Back", exact=True).click()  # nothing typed yet: leaves without asking
    expect(page).not_to_have_url(form_url)
    assert asked == []

    page.go_back()
    page.get_by_label("Focus of the discussion").fill("Typed and not saved")
    page.get_by_role("link", name="Back", exact=True).click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url == form_url
    expect(page.get_by_label("Focus of the discussion")).to_have_value("Typed and not saved")

    page.remove_listener("dialog", stay)
    page.get_by_role("button", name="Save item").click()  # submitting is not leaving unsaved: no question
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # no family chosen: the form again, with its error
    assert asked == ["beforeunload"]
