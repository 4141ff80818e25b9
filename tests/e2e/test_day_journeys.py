"""A day's work per role, from the home page, by clicking only (issue 12): a chair prepares, publishes, runs and
approves; a coordinator schedules a series that clashes, sends invitations and exports; a member replies, answers
an agency check and updates an action. Each at desktop and phone widths, in its own locality, with axe-core's
WCAG and best-practice rules on every page it visits, and a screenshot of each to look at."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, WCAG_TAGS, choose_person, lehc_rows, sign_in

WIDTHS = {"desktop": 1280, "phone": 390}
# each journey works on its own locality's demo data, so the runs at both widths do not meet each other's changes
LOCALITIES = {
    ("chair", "desktop"): "chester-le-street",
    ("chair", "phone"): "wear-valley",
    ("coordinator", "desktop"): "derwentside",
    ("coordinator", "phone"): "chester-le-street",
    ("health", "desktop"): "derwentside",
    ("health", "phone"): "wear-valley",
}


class Day:
    """A person's browser at one width, checking and photographing each page on the way."""

    def __init__(self, browser, base_url: str, axe, role: str, width: str):
        self.context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
        self.context.set_default_timeout(8_000)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: dialog.accept())  # 'leave this page?' is answered yes
        self.axe, self.role, self.width, self.count = axe, role, width, 0
        self.email = f"{role}.{LOCALITIES[(role, width)]}@example.org"
        sign_in(self.page, base_url, self.email)

    def check(self, name: str) -> None:
        """axe-core with best practice too, no sideways scrolling, and a screenshot."""
        page = self.page
        page.wait_for_load_state()
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]}})
        assert results.violations_count == 0, f"axe on {page.url}:\n{results.generate_report()}"
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[self.width], page.url
        self.count += 1
        folder = ARTIFACTS / "screenshots" / "days"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{self.role}-{self.width}-{self.count:02d}-{name}.png"), full_page=True)

    def nav(self, name: str) -> None:
        """Use the header's navigation, opening the menu first on a phone (once the page's scripts have run: before
        that the menu button is hidden and the links show, and then the menu folds them away)."""
        self.page.wait_for_load_state("load")
        toggle = self.page.locator(".govuk-service-navigation__toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
        self.page.locator(".govuk-service-navigation").get_by_role("link", name=name, exact=True).click()

    def banner(self, text: str) -> None:
        expect(self.page.locator(".govuk-notification-banner").first).to_contain_text(text)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_chairs_day(browser, base_url, axe, width):
    day = Day(browser, base_url, axe, "chair", width)
    page = day.page
    day.check("home")
    desk = page.get_by_test_id("desk")
    expect(desk.locator("h3").first).to_contain_text("Next LEHC: ")  # then the next step up / step down meeting
    expect(desk.locator("h3").nth(1)).to_contain_text("Next step up / step down: ")
    desk.get_by_test_id("readiness").first.get_by_role("link", name="Items ready").click()  # prepare the LEHC
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare the meeting")
    day.check("prepare")

    day.nav("Meetings")  # publish the LEHC after next, with an item on it
    page.get_by_label("Meeting", exact=True).select_option(label="Locality Early Help Conversation")
    page.get_by_role("button", name="Apply filters").click()
    day.check("meetings")
    page.get_by_test_id("meetings").locator("tbody tr").nth(1).get_by_role("link").click()
    page.get_by_role("button", name="Add a discussion item").click()
    family = page.get_by_label("Family", exact=True)
    family.select_option(index=1)
    page.get_by_label("Focus of the discussion").fill("Support after a school move")
    page.get_by_label("Review", exact=True).check()
    choose_person(page, "Presenting practitioner", "School")
    day.check("add-item")
    page.get_by_role("button", name="Save item").click()
    page.get_by_role("button", name="Publish agenda and send invites").click()
    day.banner("Agenda published")
    day.check("published")

    day.nav("Dashboard")  # run the last meeting's minutes and approve them
    page.get_by_test_id("minutes-to-finish").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes")
    day.check("minutes")
    page.get_by_role("link", name="Back to the meeting").click()
    page.get_by_role("button", name="Run the meeting and minutes").click()
    page.get_by_test_id("run-items").get_by_role("link").first.click()
    page.get_by_label("About the decision").fill("Agreed: TAF with the school as lead")
    day.check("discussion")
    page.get_by_role("button", name="Save discussion").click()
    day.banner("saved")
    day.check("run")
    page.get_by_role("button", name="Check and approve the minutes").click()
    day.check("approve-check")
    page.get_by_role("button", name="Approve and lock the minutes").click()
    day.banner("Minutes approved (version 1)")
    day.check("approved")
    day.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_coordinators_day(browser, base_url, axe, width):
    day = Day(browser, base_url, axe, "coordinator", width)
    page = day.page
    day.check("home")

    page.locator("main").get_by_role("link", name="LEHC").first.click()  # "You coordinate … LEHC"
    next_meeting = lehc_rows(page.get_by_role("table", name="Upcoming meetings")).first.get_by_role("link")
    when = datetime.strptime(next_meeting.inner_text().strip(), "%A %d %B %Y").date()
    page.get_by_role("button", name="Schedule a series").click()
    page.get_by_label("Weekly").check()
    page.get_by_label("Day of the week").select_option(index=when.weekday())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Venue").fill("Family Hub, room 2")
    for part, value in (("day", when.day), ("month", when.month), ("year", when.year)):
        page.locator(f"#first_date-{part}").fill(str(value))
    page.get_by_label("Number of meetings (optional)").fill("2")
    page.get_by_label("Move the meeting to the next working day").check()
    page.get_by_role("button", name="Preview dates").click()
    expect(page.get_by_test_id("series-preview").locator("tbody tr").first).to_contain_text("Already a meeting at")
    day.check("series-clash")
    page.get_by_role("button", name="Save series").click()
    day.banner("2 meetings scheduled")

    day.nav("Meetings")  # send the invitations for the next LEHC not yet published
    page.get_by_label("Meeting", exact=True).select_option(label="Locality Early Help Conversation")
    page.get_by_label("Status").select_option("scheduled")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_test_id("meetings").locator("tbody a").first.click()
    page.get_by_role("button", name="Add a discussion item").click()
    page.get_by_label("Family", exact=True).select_option(index=1)
    page.get_by_label("Focus of the discussion").fill("Attendance after illness")
    page.get_by_label("New", exact=True).check()
    choose_person(page, "Presenting practitioner", "Health")
    page.get_by_role("button", name="Save item").click()
    page.get_by_role("button", name="Publish agenda and send invites").click()
    day.banner("Agenda published")
    day.nav("Dashboard")
    page.get_by_test_id("desk").first.get_by_role("link", name="Invitations and notices").click()
    expect(page.get_by_test_id("outbox")).to_contain_text("Invitation")
    day.check("outbox")

    day.nav("Actions")  # export the tracker
    page.get_by_label("Whose").select_option("all")
    page.get_by_role("button", name="Apply filters").click()
    day.check("tracker")
    with page.expect_download() as download:
        page.get_by_role("link", name="Word by owner").click()
    assert download.value.suggested_filename.startswith("LEHC-actions-all-open") and "by-owner" in (
        download.value.suggested_filename
    )
    day.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_members_day(browser, base_url, axe, width):
    day = Day(browser, base_url, axe, "health", width)
    page = day.page
    day.check("home")
    meetings = page.get_by_test_id("my-meetings")

    owed = meetings.get_by_role("link", name="Reply to the invitation").count()
    meetings.get_by_role("link", name="Reply to the invitation").first.click()  # reply
    page.get_by_label("Attending").check()
    day.check("reply")
    page.get_by_role("button", name="Send response").click()
    day.nav("Dashboard")
    expect(page.get_by_test_id("my-meetings").get_by_role("link", name="Reply to the invitation")).to_have_count(
        owed - 1
    )

    page.get_by_test_id("my-checks").get_by_role("link").first.click()  # an agency check
    page.get_by_label("Known to us", exact=True).check()
    page.get_by_label("Current involvement").fill("Health visitor saw the family last year")
    day.check("agency-check")
    page.get_by_role("button", name="Save answer").click()
    day.nav("Dashboard")

    page.get_by_test_id("my-actions").get_by_role("link").first.click()  # an action
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Update").fill("Appointment offered and attended")
    day.check("action")
    page.get_by_role("button", name="Save update").click()
    day.check("action-saved")
    day.context.close()
