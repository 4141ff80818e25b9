import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import choose_family, choose_person, lehc_rows, sign_in


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def fill_date(page, prefix: str, day: date) -> None:
    page.locator(f"#{prefix}-day").fill(str(day.day))
    page.locator(f"#{prefix}-month").fill(str(day.month))
    page.locator(f"#{prefix}-year").fill(str(day.year))


def test_a_family_is_brought_with_consent_discussed_and_charted(page, base_url, screenshot, assert_accessible):
    # A school's designated safeguarding lead brings a family with consent
    sign_in(page, base_url, "school.durham@example.org")
    page.get_by_role("link", name="Families").click()
    page.get_by_role("button", name="Bring a family to the LEHC").click()
    page.get_by_label("Locality").select_option(label="Durham")
    page.get_by_label("Why are you worried?").fill("Attendance has fallen to 72% this term; a young carer at home.")
    page.get_by_label("Getting a good education").check()
    assert_accessible()
    screenshot("30-new-family")
    page.get_by_role("button", name="Save family").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Family DUR-\d{4}-\d{4}$"))
    reference = heading.inner_text().removeprefix("Family ")

    page.get_by_role("button", name="Add a family member").click()
    page.get_by_label("Child or young person").check()
    page.get_by_label("Full name").fill("Journey Child")
    fill_date(page, "date_of_birth", date(2017, 9, 1))
    page.get_by_label("School or setting (child)").fill("Durham Journey Primary")
    assert_accessible()
    page.get_by_role("button", name="Add family member").click()

    page.get_by_role("button", name="Record consent").click()
    page.get_by_label("Who gave consent").fill("Journey Parent")
    page.get_by_label("Their relationship to the child").fill("Mother")
    fill_date(page, "given_on", date.today())
    page.get_by_label("Written").check()
    assert_accessible()
    page.get_by_role("button", name="Save consent").click()
    expect(page.locator(".govuk-tag--green")).to_contain_text("Consent until")
    assert_accessible()
    screenshot("31-family-with-consent")
    sign_out(page)

    # The chair adds the family to the next unpublished Durham meeting and publishes the agenda
    sign_in(page, base_url, "chair.durham@example.org")
    page.get_by_role("link", name="Durham LEHC", exact=True).click()
    upcoming = lehc_rows(page.get_by_role("table", name="Upcoming meetings"))
    upcoming.filter(has_text="Scheduled").first.get_by_role("link").click()
    page.get_by_role("button", name="Add a discussion item").click()
    choose_family(page, reference)
    page.get_by_label("Focus of the discussion").fill("School attendance and a young carer")
    page.get_by_label("New", exact=True).check()
    choose_person(page, "Presenting practitioner", "Imogen")
    page.get_by_role("button", name="Save item").click()
    page.get_by_role("button", name="Publish agenda and send invites").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("Agenda published")
    meeting_url = page.url
    sign_out(page)

    # During the meeting a core member records the mapping, scores, decision and two actions
    sign_in(page, base_url, "camhs.durham@example.org")
    page.goto(meeting_url)
    page.get_by_role("link", name=f"Record the discussion of {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Discussion {reference}")
    page.get_by_label("Worries and past harm").fill("Attendance 72%; often late and tired")
    page.get_by_label("Worry (danger) statement").fill("If nothing changes he will fall behind and feel isolated")
    page.get_by_label("Existing strengths").fill("Mum is keen to work with school")
    page.get_by_label("Next steps").fill("Attendance plan; young carers' service")
    page.get_by_label("The family's score").fill("6")
    page.get_by_label("The presenting practitioner's score").fill("4")
    page.get_by_label("The group's score").fill("12")
    page.get_by_label("Bring back to the LEHC for review").check()
    fill_date(page, "review_on", date.today() + timedelta(days=56))
    actions = [
        ("Agree an attendance plan", "Schools and education settings"),
        ("Refer to young carers' service", "VCS Alliance"),
    ]
    for index, (what, agency) in enumerate(actions):
        page.locator(f"#new_actions-{index}-description").fill(what)
        page.locator(f"#new_actions-{index}-owner_agency_id").select_option(label=agency)
        fill_date(page, f"new_actions-{index}-due_on", date.today() + timedelta(days=14 + index * 7))
    page.get_by_role("button", name="Save discussion").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The group's score must be a whole number from 0 to 10")
    expect(page.get_by_label("Worries and past harm")).to_have_value("Attendance 72%; often late and tired")
    assert_accessible()
    screenshot("32-discussion-error")
    page.get_by_label("The group's score").fill("5")
    page.get_by_role("button", name="Save discussion").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(f"Discussion of {reference} saved")

    # The family page shows the scores as a chart with a table beside it
    page.get_by_role("link", name="Families").click()
    page.get_by_role("link", name=reference).click()
    expect(page.locator("svg.lehc-chart")).to_be_visible()
    expect(page.get_by_test_id("scores")).to_contain_text("The group")
    expect(page.locator(".lehc-discussion").first).to_contain_text("Agree an attendance plan")
    assert_accessible()
    screenshot("33-family-history")

    page.goto(meeting_url.rstrip("/") + "/pack")
    expect(page.locator("h1")).to_contain_text("Meeting pack")
    assert_accessible()
    screenshot("34-meeting-pack")
