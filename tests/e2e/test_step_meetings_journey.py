"""The weekly step up / step down meeting in the browser (issue 15): a coordinator schedules it beside the LEHC,
puts a family on its agenda and records a step down; the family's page shows the move; the insight dashboard counts
the demo data's moves. Its meetings are put past the demo series (20 weeks on)."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from lehc.dates import format_date
from tests.e2e.conftest import choose_person, sign_in


def test_a_coordinator_schedules_step_meetings_and_records_a_step_down(page, base_url, screenshot, assert_accessible):
    first = date.today() + timedelta(weeks=20)
    first += timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday
    sign_in(page, base_url, "coordinator.derwentside@example.org")
    page.get_by_role("link", name="Derwentside LEHC").click()
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
