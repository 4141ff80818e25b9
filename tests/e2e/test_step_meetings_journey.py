"""The weekly step up / step down meeting in the browser (issue 15): a coordinator schedules it beside the LEHC,
puts a family on its agenda and records a step down; the family's page shows the move; the insight dashboard counts
the demo data's moves. Its meetings are put past the demo series (20 weeks on). Sedgefield's chair runs last week's
step meeting to approved minutes and their Word file, and its Children's Social Care team manager (a call-on seat at
the LEHC, at the table of every step meeting) reads them."""

import io
import re
from datetime import date, timedelta

from docx import Document
from playwright.sync_api import expect

from lehc.dates import format_date, format_plain_date
from tests.e2e.conftest import choose_person, sign_in
from tests.e2e.test_family_journey import fill_date, sign_out
from tests.e2e.test_minutes_journey import download
from tests.integration.minutes.world import docx_text
from tests.support.office import docx_to_pdf


def test_a_coordinator_schedules_step_meetings_and_records_a_step_down(page, base_url, screenshot, assert_accessible):
    first = date.today() + timedelta(weeks=20)
    first += timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday
    sign_in(page, base_url, "coordinator.derwentside@example.org")
    page.get_by_role("link", name="Derwentside LEHC", exact=True).click()
    page.get_by_role("button", name="Schedule a series").click()
    page.get_by_label("Step up and step down meeting").check()
    page.get_by_label("Weekly").check()
    page.get_by_label("Day of the week").select_option(index=first.weekday())
    page.get_by_label("Start time").fill("13:00")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Venue").fill("Stanley Family Hub")
    page.locator("#first_date-day").fill(str(first.day))
    page.locator("#first_date-month").fill(str(first.month))
    page.locator("#first_date-year").fill(str(first.year))
    page.get_by_label("Number of meetings (optional)").fill("2")
    page.get_by_role("button", name="Preview dates").click()
    expect(page.get_by_role("heading", name="Preview: 2 meetings")).to_be_visible()
    page.get_by_role("button", name="Save series").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "2 meetings scheduled for Derwentside step up / step down"
    )
    upcoming = page.get_by_role("table", name="Upcoming meetings")
    expect(upcoming.get_by_role("columnheader", name="Meeting")).to_be_visible()
    assert_accessible()
    screenshot("60-locality-with-step-meetings")

    upcoming.get_by_role("link", name=format_date(first), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(format_date(first))
    expect(page.locator(".govuk-caption-l").first).to_have_text("Derwentside Step up and step down meeting")
    page.get_by_role("button", name="Add a discussion item").click()
    family_select = page.get_by_label("Family", exact=True)
    family_select.select_option(index=1)
    reference = family_select.locator("option:checked").inner_text().split(",")[0]
    page.get_by_label("Focus of the discussion").fill("Ready to step down after the child protection plan")
    page.get_by_label("Review", exact=True).check()
    choose_person(page, "Presenting practitioner", "Schools")
    page.get_by_role("button", name="Save item").click()

    page.get_by_role("link", name=re.compile(f"Record the discussion.*{reference}")).click()
    decisions = page.get_by_role("group", name="What did the group decide?").get_by_role("radio")
    expect(decisions).to_have_count(4)
    page.get_by_label("Step down to early help with a lead practitioner").check()
    page.get_by_label("Worries and past harm").fill("Past neglect; the plan's goals are met")
    page.get_by_role("button", name="Save discussion").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the lead practitioner allocated")
    expect(summary).to_contain_text("Enter the date of the handover meeting")
    assert_accessible()
    screenshot("61-step-down-errors")

    lead = choose_person(page, "Lead practitioner allocated", "Schools")
    handover = first + timedelta(days=7)
    page.locator("#handover_on-day").fill(str(handover.day))
    page.locator("#handover_on-month").fill(str(handover.month))
    page.locator("#handover_on-year").fill(str(handover.year))
    page.get_by_role("button", name="Save discussion").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(f"Discussion of {reference} saved")

    page.goto(base_url + "/families")
    page.get_by_role("link", name=re.compile(reference)).first.click()
    latest = page.get_by_test_id("moves").locator("tbody tr").last  # oldest first: the demo data's moves come before
    expect(latest).to_contain_text(format_date(first))
    expect(latest).to_contain_text("Stepped down to early help")
    expect(latest).to_contain_text(f"Lead practitioner: {lead.split(',')[0]}")
    assert_accessible()
    screenshot("62-family-moves")

    page.get_by_role("link", name="Insight").click()  # the demo data's held step meetings moved two families
    page.get_by_label("Meeting", exact=True).select_option(label="Step up and step down meeting")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_test_id("insight-kind")).to_have_text("Step up and step down meeting")
    headlines = page.get_by_test_id("moves-headlines")
    expect(headlines).to_contain_text(re.compile(r"Stepped up to Children's Social Care\s*1\b"))  # the demo's
    expect(headlines).to_contain_text(re.compile(r"Stepped down to early help\s*1\b"))
    expect(page.get_by_test_id("insight-moves").locator("tbody tr").first).to_contain_text("Derwentside")
    assert_accessible()
    screenshot("63-insight-step-meetings")


def test_the_chair_runs_last_weeks_step_meeting_to_approved_minutes_and_social_care_reads_them(
    page, base_url, screenshot, assert_accessible, tmp_path
):
    sign_in(page, base_url, "chair.sedgefield@example.org")
    page.goto(base_url + "/meetings?when=past&kind=step")
    page.get_by_test_id("meetings").locator("tbody tr").first.get_by_role("link").click()  # the latest first
    meeting_url = page.url
    expect(page.locator(".govuk-caption-l").first).to_have_text("Sedgefield Step up and step down meeting")
    page.get_by_role("button", name="Run the meeting and minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the meeting")
    expect(page.get_by_test_id("attendance")).to_contain_text("Children's Social Care")  # the seat holder, invited
    page.get_by_test_id("run-items").get_by_role("link").first.click()
    page.get_by_label("Referral to Children's Social Care").check()
    page.get_by_label("Worries and past harm").fill("Neglect growing despite the plan")
    page.get_by_role("button", name="Save discussion").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date the family was referred to Children's Social Care")
    expect(summary).to_contain_text("Enter why the family steps up")
    assert_accessible()
    referred = date.today() - timedelta(days=1)
    fill_date(page, "referred_on", referred)
    page.get_by_label("Why the family steps up").fill("The family agree to a referral: the plan is not enough")
    page.get_by_role("button", name="Save discussion").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the meeting")
    assert_accessible()
    screenshot("64-step-meeting-run")

    page.get_by_role("button", name="Check and approve the minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the minutes")
    assert_accessible()
    page.get_by_role("button", name="Approve and lock the minutes").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Minutes approved (version 1)")
    expect(page.get_by_test_id("minutes-status")).to_contain_text("Approved by")
    minutes_page = page.locator("main")
    expect(minutes_page.get_by_test_id("move")).to_contain_text(
        f"Stepped up to Children's Social Care. Referred on {format_plain_date(referred)}"
    )
    assert_accessible()
    screenshot("65-step-minutes-approved")
    word = download(page, "Download as a Word document", "step-minutes.docx")
    text = docx_text(Document(io.BytesIO(word)))
    assert "Sedgefield Step up and step down meeting: minutes" in text
    assert "Stepped up to Children's Social Care" in text and "the plan is not enough" in text
    assert "Children's Social Care Team Manager" in text  # the seat in the attendance
    pdf, pages = docx_to_pdf(word, "step-minutes", tmp_path)  # LibreOffice opens it; page 1 saved to look at
    assert pages >= 1 and pdf.has_words("Stepped up to Children's Social Care")
    sign_out(page)

    sign_in(page, base_url, "socialcare.sedgefield@example.org")
    expect(page.locator("main")).to_contain_text(
        "You sit at Sedgefield LEHC (call-on member, Children's Social Care Team Manager) and its step up / step down"
        " meeting."
    )
    expect(page.get_by_test_id("my-meetings")).to_contain_text("Sedgefield step up / step down")
    assert_accessible()
    screenshot("66-social-care-dashboard")
    page.goto(meeting_url)
    page.get_by_role("link", name="Minutes", exact=True).click()
    expect(page.get_by_test_id("minutes-status")).to_contain_text("Approved by")
    expect(page.locator("main")).to_contain_text("Stepped up to Children's Social Care")
    expect(page.locator("main")).not_to_contain_text("not shared with you")  # at the table: the whole meeting
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible()
    screenshot("67-step-minutes-social-care-phone")
    page.goto(base_url + "/meetings?kind=lehc&when=all")
    expect(page.get_by_test_id("meetings").locator("tbody tr")).to_have_count(0)  # not at the LEHC's core table
