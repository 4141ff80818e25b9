import re
from datetime import date, timedelta

from playwright.sync_api import expect

from lehc.dates import format_date
from lehc.meetings.scheduling import bank_holidays
from tests.e2e.conftest import choose_person, sign_in


def first_date_with_a_bank_holiday_clash() -> tuple[date, date]:
    """A weekday two weeks before a coming bank holiday, so a fortnightly series meets on the holiday."""
    today = date.today()
    holidays = bank_holidays(range(today.year, today.year + 2))
    holiday = min(day for day in holidays if day.weekday() < 5 and day - timedelta(days=14) > today)
    return holiday - timedelta(days=14), holiday


def test_a_coordinator_schedules_a_series_builds_an_agenda_and_publishes_it(
    page, base_url, screenshot, assert_accessible
):
    first, holiday = first_date_with_a_bank_holiday_clash()
    sign_in(page, base_url, "coordinator.teesdale@example.org")
    page.get_by_role("link", name="Teesdale LEHC", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teesdale")
    assert_accessible()
    screenshot("20-locality")

    page.get_by_role("button", name="Schedule a series").click()
    page.get_by_label("Fortnightly").check()
    page.get_by_label("Day of the week").select_option(index=first.weekday())
    page.get_by_label("Start time").fill("9:30")
    page.get_by_label("Length in minutes").fill("150")
    page.get_by_label("Venue").fill("Barnard Castle Family Hub")
    page.get_by_label("Online joining link").fill("https://teams.example/l/teesdale")
    page.locator("#first_date-day").fill(str(first.day))
    page.locator("#first_date-month").fill(str(first.month))
    page.locator("#first_date-year").fill(str(first.year))
    page.get_by_label("Number of meetings (optional)").fill("4")
    page.get_by_label("Move the meeting to the next working day").check()
    page.get_by_role("button", name="Preview dates").click()

    preview = page.get_by_test_id("series-preview")
    expect(page.get_by_role("heading", name="Preview: 4 meetings")).to_be_visible()
    expect(preview.locator("tbody tr").nth(1)).to_contain_text("(bank holiday): moved from " + format_date(holiday))
    expect(preview.locator("tbody tr").nth(1)).to_contain_text("Moved")
    assert_accessible()
    screenshot("21-series-preview")
    page.get_by_role("button", name="Save series").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("4 meetings scheduled for Teesdale")

    page.get_by_role("link", name=format_date(first)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(format_date(first))
    page.get_by_role("button", name="Add a discussion item").click()
    family_select = page.get_by_label("Family", exact=True)
    family_select.select_option(index=1)
    reference = family_select.locator("option:checked").inner_text().split(",")[0]
    page.get_by_label("Focus of the discussion").fill("Teenager at risk of exploitation")
    page.get_by_label("New", exact=True).check()
    assert choose_person(page, "Presenting practitioner", "Schools").endswith("Schools and education settings")
    # the picker lists Teesdale's people; someone from elsewhere in the county is found by typing (/people/search)
    listed = set(page.locator("select#presenter_id option").all_inner_texts())
    searched = page.request.get(base_url + "/people/search", params={"q": "ar"}).json()["people"]
    outsider = next(person["label"] for person in searched if person["label"] not in listed)
    presenter = page.get_by_label("Presenting practitioner", exact=True)
    presenter.fill(outsider.split(",")[0])
    page.locator(".autocomplete__option", has_text=outsider).click()
    expect(presenter).to_have_value(outsider)
    page.get_by_label("Minutes allotted").fill("25")
    page.get_by_label(re.compile("Neighbourhood Police Team")).check()
    assert_accessible()
    screenshot("22-add-item")
    page.get_by_role("button", name="Save item").click()

    agenda = page.get_by_test_id("agenda")
    expect(agenda.locator("tbody tr")).to_have_count(3)
    expect(agenda.locator("tbody tr").nth(2)).to_contain_text("9:45am to 10:10am")
    expect(agenda.locator("tbody tr").nth(2)).to_contain_text(reference)
    expect(agenda.locator("tbody tr").nth(2)).to_contain_text(outsider.split(",")[0])
    page.get_by_role("button", name="Publish agenda and send invites").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Agenda published")
    expect(page.get_by_text("Agenda published", exact=True).first).to_be_visible()
    assert_accessible()
    screenshot("23-meeting-published")


def test_a_member_responds_to_an_invitation(page, base_url, screenshot, assert_accessible):
    sign_in(page, base_url, "camhs.durham@example.org")
    # the next LEHC: the locality's step meeting, which a CAMHS seat is not invited to, may come first
    page.get_by_test_id("my-meetings").get_by_role("link", name=re.compile("^Durham LEHC: ")).first.click()
    page.get_by_role("button", name=re.compile("Respond to the invitation|Change your response")).click()
    page.get_by_label("Sending a deputy").check()
    page.get_by_role("button", name="Send response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of your deputy")
    assert_accessible()
    page.get_by_label("Deputy's name").fill("Dana Deputy")
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_test_id("my-response")).to_contain_text("Sending a deputy (Dana Deputy)")
    assert_accessible()
    screenshot("24-member-meeting")
