import io

from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_family_journey import sign_out


def test_the_chair_prepares_and_the_practitioner_writes_to_the_family(page, base_url, screenshot, assert_accessible):
    sign_in(page, base_url, "chair.sedgefield@example.org")
    page.get_by_role("link", name="Sedgefield LEHC").click()
    page.get_by_role("table", name="Upcoming meetings").get_by_role("link").first.click()
    page.get_by_role("button", name="Prepare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare the meeting")
    expect(page.get_by_test_id("prepare-item").first).to_be_visible()
    assert_accessible()
    screenshot("50-prepare")
    sign_out(page)

    sign_in(page, base_url, "school.sedgefield@example.org")
    page.get_by_role("link", name="Sedgefield LEHC").click()
    page.get_by_role("table", name="Past meetings").get_by_role("link").first.click()
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
