import re

import pyotp
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, authenticator_code


def test_a_chair_signs_in_sees_their_dashboard_and_signs_out(page, base_url, screenshot, assert_accessible):
    page.goto(base_url + "/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible()
    screenshot("01-sign-in")

    page.get_by_label("Email address").fill("chair.durham@example.org")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    assert_accessible()
    screenshot("02-sign-in-error")

    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_accessible()
    screenshot("02b-code")
    page.get_by_label("Code from your authenticator app").fill(authenticator_code("chair.durham@example.org"))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_role("heading", name="My meetings")).to_be_visible()
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Durham LEHC (core member, Family Hub Team Manager)")
    assert_accessible()
    screenshot("03-dashboard")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    page.goto(base_url + "/")
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_an_admin_adds_a_user_with_a_locality_membership(page, base_url, screenshot, assert_accessible):
    page.goto(base_url + "/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # the administrator has not set up an authenticator yet: the first sign-in does it
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.locator(".lehc-qr svg")).to_be_visible()
    assert_accessible()
    screenshot("09-set-up-authenticator")
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_test_id("recovery-codes").locator("code")).to_have_count(10)
    assert_accessible()
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    assert_accessible()
    screenshot("10-admin-users")

    page.get_by_role("button", name="Add a user").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's full name")
    assert_accessible()
    screenshot("11-admin-new-user-errors")

    page.get_by_label("Full name").fill("Jordan Probation")
    page.get_by_label("Email address").fill("jordan.probation@example.org")
    page.get_by_label("Agency").select_option(label="Probation Service")
    page.get_by_label("Member", exact=True).check()
    page.get_by_label("Initial password").fill("a long initial password")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan Probation")

    page.get_by_role("button", name="Add a membership").click()
    page.get_by_label("Locality").select_option(label="Easington")
    page.get_by_label("Call-on").check()
    page.get_by_label("Seat at the table").select_option(label="Probation (call-on)")
    assert_accessible()
    page.get_by_role("button", name="Add membership").click()
    expect(page.locator("table")).to_contain_text("Easington")
    assert_accessible()
    screenshot("12-admin-user")

    # who each kind of meeting invites (issue 15): the county default, then one locality's own seats
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Localities", exact=True).click()
    expect(page.get_by_test_id("kind-seats")).to_contain_text("Family Hub Team Manager, One Point Early Help Advisor")
    assert_accessible()
    screenshot("13-admin-localities-kind-seats")
    page.get_by_role("link", name="Change who every step up / step down invites").click()
    expect(page.get_by_label("Family Hub Team Manager")).to_be_checked()
    for seat in ("Family Hub Team Manager", "One Point Early Help Advisor", "Children's Social Care Team Manager"):
        page.get_by_label(seat).uncheck()
    page.get_by_role("button", name="Save seats").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one seat")
    assert_accessible()
    screenshot("14-admin-kind-seats-error")
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Change Durham").click()
    expect(page.get_by_test_id("locality-kind-seats")).to_contain_text("(county default)")
    assert_accessible()
    page.get_by_role("link", name="Change who Durham step up / step down invites").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seats at Durham's meetings")
    expect(page.get_by_label("Children's Social Care Team Manager (call-on at LEHC)")).to_be_checked()
    assert_accessible()
    screenshot("15-admin-locality-kind-seats")
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible()
    screenshot("16-admin-locality-kind-seats-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
