import io

from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, lehc_rows, sign_in
from tests.e2e.test_family_journey import sign_out


def open_last_meeting(page):
    page.get_by_role("link", name="Easington LEHC", exact=True).click()
    lehc_rows(page.get_by_role("table", name="Past meetings")).first.get_by_role("link").click()


def download(page, link_name: str, file_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    target = ARTIFACTS / "downloads" / file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    info.value.save_as(target)
    assert info.value.suggested_filename.startswith("LEHC-")
    return target.read_bytes()


def test_minutes_are_recorded_approved_and_downloaded(page, base_url, screenshot, assert_accessible):
    sign_in(page, base_url, "coordinator.easington@example.org")
    open_last_meeting(page)
    meeting_url = page.url
    page.get_by_role("button", name="Run the meeting and minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the meeting")
    attendance = page.get_by_test_id("attendance")
    selects = attendance.locator("select")
    for index in range(selects.count()):
        selects.nth(index).select_option("present" if index % 3 else "apologies")
    assert_accessible()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Attendance saved")
    screenshot("40-run-meeting")

    # the first item, then on to the next without going back to the run page; the last save returns to it
    page.get_by_test_id("run-items").get_by_role("link").first.click()
    for index, button in enumerate(("Save and go to the next item", "Save discussion")):
        page.get_by_label("Team Around the Family with a lead practitioner").check()
        page.get_by_label("About the decision").fill(f"Agreed at the meeting, item {index + 1}")
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-notification-banner").first).to_contain_text("saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the meeting")
    sign_out(page)

    sign_in(page, base_url, "chair.easington@example.org")
    page.goto(meeting_url)
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the minutes")
    expect(page.get_by_test_id("approval-check")).to_contain_text("Discussions")
    assert_accessible()
    screenshot("41-approval-check")
    page.get_by_role("button", name="Approve and lock the minutes").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Minutes approved (version 1)")
    expect(page.get_by_test_id("versions")).to_contain_text("Version 1: approved by")
    expect(page.get_by_role("button", name="Amend the minutes")).to_be_visible()
    assert_accessible()
    screenshot("41-minutes-approved")
    sign_out(page)

    sign_in(page, base_url, "coordinator.easington@example.org")
    page.goto(meeting_url)
    page.get_by_role("link", name="Minutes", exact=True).click()
    expect(page.get_by_test_id("minutes-status")).to_contain_text("Approved by")
    assert_accessible()
    screenshot("42-minutes")
    minutes = Document(io.BytesIO(download(page, "Download as a Word document", "minutes.docx")))
    assert any("Agreed at the meeting, item 1" in p.text for p in minutes.paragraphs)
    assert "OFFICIAL-SENSITIVE" in minutes.sections[0].header.paragraphs[0].text

    page.get_by_role("link", name="Actions").click()
    page.get_by_label("Whose").select_option("all")
    page.get_by_label("Status").select_option("any")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("actions")).to_be_visible()
    assert_accessible()
    screenshot("43-action-tracker")
    tracker = Document(io.BytesIO(download(page, "Word by locality", "tracker.docx")))
    assert any(p.style.name == "Heading 2" and p.text.startswith("Easington") for p in tracker.paragraphs)
