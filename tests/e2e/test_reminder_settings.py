"""A member turns one kind of reminder off from their profile page, by clicking only, on a desktop and a phone
(issue 13); the page passes axe-core at both widths."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


@pytest.mark.parametrize(
    ("email", "width"), [("police.easington@example.org", 1280), ("camhs.easington@example.org", 390)]
)
def test_a_member_switches_a_reminder_off_on_their_profile(page, base_url, assert_accessible, screenshot, email, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base_url, email)
    if width < 640:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Your profile").click()
    reminders = page.get_by_role("group", name="E-mail me reminders about")
    boxes = reminders.get_by_role("checkbox")
    expect(boxes).to_have_count(4)
    for index in range(4):  # every kind is on until switched off
        expect(boxes.nth(index)).to_be_checked()
    assert_accessible()
    reminders.get_by_label("My actions due in the coming week and overdue, every Monday").uncheck()
    page.get_by_role("button", name="Save reminder settings").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Reminder settings saved")
    expect(reminders.get_by_label("My actions due in the coming week and overdue, every Monday")).not_to_be_checked()
    expect(
        reminders.get_by_label("Minutes waiting for my approval, five working days after the meeting")
    ).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible()
    screenshot(f"profile-reminders-{width}")
