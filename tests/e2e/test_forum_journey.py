"""The Early Help Forum in the browser (issue 15): a coordinator schedules their area's forum in a school term (a
day in the holidays is refused), builds its agenda of presentations and publishes it; the host locality's chair
runs last term's forum to approved minutes and its Word file. Its forum is put in next school year's autumn term,
past the demo data's."""

import io
from datetime import date, timedelta

from docx import Document
from playwright.sync_api import expect

from lehc.demo.records import demo_term_dates
from tests.e2e.conftest import sign_in
from tests.e2e.test_minutes_journey import download
from tests.integration.minutes.world import docx_text


def fill_date(page, field: str, day: date) -> None:
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def test_a_coordinator_schedules_the_areas_forum_and_publishes_its_agenda(
    page, base_url, screenshot, assert_accessible
):
    terms = demo_term_dates(date.today())
    _, next_autumn, _ = terms[-3]  # next school year's autumn term
    holiday = next_autumn - timedelta(days=10)  # the summer holidays before it
    day = next_autumn + timedelta(weeks=3)
    day += timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
    sign_in(page, base_url, "coordinator.easington@example.org")
    page.goto(base_url + "/meetings")
    page.get_by_role("link", name="schedule a forum for Central and East Durham").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule an Early Help Forum")
    expect(page.get_by_test_id("terms")).to_contain_text(terms[-3][0])
    fill_date(page, "day", holiday)
    page.get_by_label("Start time").fill("13:30")
    page.get_by_label("Length in minutes").fill("120")
    page.get_by_label("Venue").fill("Seaham Leisure Centre")
    page.get_by_role("button", name="Schedule the forum").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date must be in a school term")
    assert_accessible()
    screenshot("70-forum-date-in-the-holidays")

    fill_date(page, "day", day)
    page.get_by_role("button", name="Schedule the forum").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "Central and East Durham Early Help Forum scheduled"
    )
    expect(page.locator(".govuk-caption-l").first).to_have_text("Central and East Durham Early Help Forum")
    expect(page.get_by_role("button", name="Add a discussion item")).to_have_count(0)  # no family at a forum
    page.get_by_role("button", name="Add a presentation or partnership item").click()
    page.get_by_role("button", name="Save item").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the item")
    assert_accessible()
    page.get_by_label("Title").fill("Domestic abuse: the new referral pathway")
    page.get_by_label("Presenter").fill("Sam Lee")
    page.get_by_label("Organisation").fill("Harbour Support Services")
    page.get_by_label("Minutes allotted").fill("30")
    page.get_by_role("button", name="Save item").click()
    agenda = page.get_by_test_id("agenda")
    row = agenda.locator("tbody tr").filter(has_text="Domestic abuse: the new referral pathway")
    expect(row).to_contain_text("Sam Lee, Harbour Support Services")
    page.get_by_role("button", name="Publish agenda and send invites").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Agenda published")
    assert_accessible()
    screenshot("71-forum-agenda")

    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    expect(row).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible()
    screenshot("72-forum-agenda-phone")


def test_the_host_chair_runs_last_terms_forum_to_approved_minutes(page, base_url, screenshot, assert_accessible):
    sign_in(page, base_url, "chair.durham@example.org")
    page.goto(base_url + "/meetings?when=past&kind=forum")
    meetings = page.get_by_test_id("meetings")
    expect(meetings.locator("tbody tr")).to_have_count(1)  # last term's: this term's is still to come
    expect(meetings).to_contain_text("Central and East Durham Early Help Forum")
    meetings.get_by_role("link").first.click()
    page.get_by_role("button", name="Run the meeting and minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the meeting")
    expect(page.get_by_role("heading", name="Discussions")).to_have_count(0)
    attendance = page.get_by_test_id("attendance")
    selects = attendance.locator("select")
    for index in range(selects.count()):
        selects.nth(index).select_option("present" if index % 4 else "apologies")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Attendance saved")
    page.get_by_label("Name (optional)").fill("Jo Bell")
    page.get_by_label("Organisation").fill("Seaham School")
    page.get_by_label("Education").check()
    page.get_by_role("button", name="Add to the attendance").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Jo Bell from Seaham School added")
    expect(page.get_by_test_id("guests")).to_contain_text("Seaham School")
    page.get_by_label("Other notes and any other business").fill("Slides to go to every school in the area.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Notes saved")
    assert_accessible()
    screenshot("73-forum-run")

    page.get_by_role("button", name="Check and approve the minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the minutes")
    page.get_by_role("button", name="Approve and lock the minutes").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Minutes approved (version 1)")
    expect(page.get_by_test_id("minutes-status")).to_contain_text("Approved by")  # the minutes page
    expect(page.get_by_test_id("organisations")).to_contain_text("Seaham School")
    assert_accessible()
    screenshot("74-forum-minutes-approved")
    minutes = docx_text(Document(io.BytesIO(download(page, "Download as a Word document", "forum-minutes.docx"))))
    assert "Central and East Durham Early Help Forum: minutes" in minutes
    assert "Changes to the school nursing offer" in minutes and "Priya Shah, 0-25 Family Health Service" in minutes
    assert "Slides to go to every school in the area." in minutes
    assert "Attendance by organisation" in minutes and "Seaham School" in minutes
