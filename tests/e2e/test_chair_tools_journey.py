import io

from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import lehc_rows, sign_in
from tests.e2e.test_family_journey import sign_out


def open_sedgefield_meeting(page, base_url: str, email: str, table: str = "Upcoming meetings") -> None:
    """Sign in and open the first meeting of Sedgefield's upcoming (or past) meetings."""
    sign_in(page, base_url, email)
    page.get_by_role("link", name="Sedgefield LEHC", exact=True).click()
    lehc_rows(page.get_by_role("table", name=table)).first.get_by_role("link").click()


def test_the_chair_prepares_and_the_practitioner_writes_to_the_family(page, base_url, screenshot, assert_accessible):
    open_sedgefield_meeting(page, base_url, "chair.sedgefield@example.org")
    page.get_by_role("button", name="Prepare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare the meeting")
    expect(page.get_by_test_id("prepare-item").first).to_be_visible()
    assert_accessible()
    screenshot("50-prepare")
    sign_out(page)

    open_sedgefield_meeting(page, base_url, "school.sedgefield@example.org", "Past meetings")
    page.get_by_role("link", name="Letter to the family").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Letter to the family")
    expect(page.get_by_label("What will happen next")).not_to_be_empty()
    assert_accessible()
    screenshot("51-family-letter")
    letter = Document(io.BytesIO(download_button(page)))
    assert any(p.text == "What is working well" for p in letter.paragraphs)


def download_button(page) -> bytes:
    from tests.e2e.conftest import ARTIFACTS

    with page.expect_download() as info:
        page.get_by_role("button", name="Save and download the letter").click()
    target = ARTIFACTS / "downloads" / "letter.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    info.value.save_as(target)
    return target.read_bytes()


def test_an_agency_answers_its_checks_and_the_chair_sees_the_grid(page, base_url, screenshot, assert_accessible):
    open_sedgefield_meeting(page, base_url, "camhs.sedgefield@example.org")
    page.get_by_role("link", name="Agency checks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agency checks")
    mine = page.get_by_test_id("my-checks")
    expect(mine.get_by_text("Awaiting answer").first).to_be_visible()
    assert_accessible()
    screenshot("52-agency-checks-member")
    mine.get_by_role("link", name="Answer").first.click()
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Select whether your agency knows this family")
    assert_accessible()
    page.get_by_label("Involved now").check()
    page.get_by_label("Current involvement").fill("CAMHS clinic, monthly appointments")
    screenshot("53-agency-check-answer")
    page.get_by_role("button", name="Save answer").click()
    expect(mine.get_by_text("CAMHS clinic, monthly appointments")).to_be_visible()
    sign_out(page)

    open_sedgefield_meeting(page, base_url, "chair.sedgefield@example.org")
    page.get_by_role("link", name="Agency checks").click()
    grid = page.get_by_test_id("check-grid")
    expect(grid.get_by_role("row", name="CAMHS").get_by_text("Involved now")).to_be_visible()
    expect(grid.get_by_text("Awaiting answer").first).to_be_visible()
    assert_accessible()
    screenshot("54-agency-check-grid")


def test_the_chair_reads_the_insight_dashboard_and_downloads_the_figures(page, base_url, screenshot, assert_accessible):
    sign_in(page, base_url, "chair.durham@example.org")
    page.get_by_role("link", name="Insight").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insight")
    expect(page.get_by_test_id("insight-scope")).to_contain_text("Durham")
    expect(page.get_by_test_id("insight-discussions").locator("svg[role=img]")).to_be_visible()
    assert_accessible()
    screenshot("55-insight-durham")

    page.get_by_label("Area").select_option(label="All of County Durham")
    page.get_by_role("group", name="From").get_by_label("Year").fill("1999")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a period of 10 years or less")
    assert_accessible()
    page.get_by_role("group", name="From").get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_test_id("insight-scope")).to_contain_text("County Durham")
    screenshot("56-insight-county")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these figures").click()
    text = info.value.path().read_text()
    assert text.startswith("Area,From,To,Measure,Category,Value,Meeting\nCounty Durham,")
    assert ",Locality Early Help Conversation\n" in text
    assert "County Durham" in text
