"""Every Word document as its reader sees it: rendered by LibreOffice on A4, tables sized to what they hold, kept
apart and never split over a page, the tracker dense, each copy saying whose it is. Page 1 of each is kept as a
picture in test-artifacts/documents/ to be looked at."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from sqlalchemy import select

from lehc.models import Action, Role
from tests.conftest import parse, sign_in_as
from tests.integration.minutes.world import ANON_CHILD, NAMED_CHILD
from tests.support.office import render

A4_PORTRAIT, A4_LANDSCAPE = (210, 297), (297, 210)  # millimetres


DECLARATION = "Cam Hughes knows the family in DUR-2026-0101 from a previous role."


def _approve(app, held) -> None:
    meeting = held["meeting"]
    coordinator = sign_in_as(app.test_client(), held["coordinator"])
    run = coordinator.get(f"/meetings/{meeting.id}/run")
    original = parse(run).select_one("form[action$='/minutes/declarations'] input[name=original]")["value"]
    saved = coordinator.post(
        f"/meetings/{meeting.id}/minutes/declarations", data={"declarations": DECLARATION, "original": original}
    )
    assert saved.status_code == 302
    coordinator.post(
        f"/meetings/{meeting.id}/run",
        data={
            "form": "attendance",
            f"status-{held['chair'].id}": "present",
            f"status-{held['camhs'].id}": "deputy",
            f"deputy-{held['camhs'].id}": "Dee Puty",
            f"status-{held['police'].id}": "present",
        },
    )
    sign_in_as(app.test_client(), held["chair"]).post(f"/meetings/{meeting.id}/minutes/approve")


def documents(app, db, held) -> dict[str, bytes]:
    """One of each document the service writes, from one held and approved meeting."""
    meeting, coordinator = held["meeting"], held["coordinator"]
    meeting.venue, meeting.online_link = "Durham Family Hub, room 2", "https://meet.example.org/lehc-durham"
    db.session.commit()
    _approve(app, held)
    as_coordinator = sign_in_as(app.test_client(), coordinator)
    archive = zipfile.ZipFile(io.BytesIO(as_coordinator.get(f"/meetings/{meeting.id}/distribution.zip").data))
    camhs_copy = next(name for name in archive.namelist() if name.endswith("camhs.docx"))
    presenter = held["first"].family.presenter
    letter = sign_in_as(app.test_client(), presenter).post(
        f"/meetings/{meeting.id}/items/{held['first'].id}/letter",
        data={
            "talked_about": "We talked about school.",
            "working_well": "You get the children to school on time most days.",
            "next_steps": "A plan with the school.",
            "contact": f"Please contact {presenter.name}.",
        },
    )
    admin = sign_in_as(app.test_client(), held["admin"])
    return {
        "minutes": as_coordinator.get(f"/meetings/{meeting.id}/minutes.docx").data,
        "agenda": as_coordinator.get(f"/meetings/{meeting.id}/agenda.docx").data,
        "tracker": as_coordinator.get("/actions.docx", query_string={"status": "any"}).data,
        "distribution-copy": archive.read(camhs_copy),
        "letter": letter.data,
        "subject-access": admin.get(f"/families/{held['first'].family_id}/subject-access.docx").data,
    }


@pytest.fixture
def every_document(app, db, factories, held):
    held["admin"] = factories.user(Role.ADMIN, locality=None)
    return documents(app, db, held)


def body_elements(document: Document) -> list[str]:
    return [element.tag.rpartition("}")[2] for element in document.element.body]


def test_every_document_is_a4_with_tables_sized_kept_apart_and_rows_kept_whole(every_document, tmp_path):
    for name, docx in every_document.items():
        document = Document(io.BytesIO(docx))
        for section in document.sections:
            size = (round(section.page_width.mm), round(section.page_height.mm))  # stored in twips
            assert size == (A4_LANDSCAPE if name == "tracker" else A4_PORTRAIT), name
        usable = document.sections[0].page_width - document.sections[0].left_margin * 2
        kinds = body_elements(document)
        assert not any(a == b == "tbl" for a, b in zip(kinds, kinds[1:], strict=False)), f"{name}: tables touch"
        for table in document.tables:
            grid = [column.width for column in table.columns]
            assert abs(sum(grid) - usable) < Mm(1), f"{name}: a table narrower or wider than the page"
            assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
            for row in table.rows:
                assert row._tr.trPr.find(qn("w:cantSplit")) is not None, f"{name}: a row that may split"
                assert [cell.width for cell in row.cells] == grid, f"{name}: cells not as wide as their columns"
        properties = document.core_properties
        assert properties.author == "LEHC" and properties.title and properties.subject, name
        assert NAMED_CHILD not in f"{properties.title} {properties.subject} {properties.keywords}", name

        rendering = render(docx, f"a4-{name}", tmp_path)
        assert rendering.page_size.endswith("(A4)"), (name, rendering.page_size)
        for table in document.tables:
            for row in table.rows[1:]:
                text = " ".join(dict.fromkeys(cell.text for cell in row.cells))
                assert rendering.page_holding(text) is not None, f"{name}: row split over pages: {text}"


def test_column_widths_follow_what_the_columns_hold(every_document):
    agenda = Document(io.BytesIO(every_document["agenda"])).tables[0]
    time, item, kind, presenter, called_on = (column.width for column in agenda.columns)
    assert item > time and item > kind and item > presenter
    tracker = Document(io.BytesIO(every_document["tracker"])).tables[0]
    headings = [cell.text for cell in tracker.rows[0].cells]
    widths = dict(zip(headings, (column.width for column in tracker.columns), strict=True))
    assert widths["Action"] == max(widths.values()) and widths["Due"] < widths["Action"] / 2


def test_the_minutes_read_as_council_minutes_with_separate_tables_in_reading_order(every_document, tmp_path):
    document = Document(io.BytesIO(every_document["minutes"]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    names = [text for _, text in headings]
    assert names.index("Attendance") < names.index("Present (2)") < names.index("Deputies (1)")
    declarations = names.index("Declarations of interest")
    assert names.index("Deputies (1)") < declarations < next(i for i, t in enumerate(names) if "DUR-2026-0101" in t)
    assert DECLARATION in [p.text for p in document.paragraphs]
    first_item = next(i for i, t in enumerate(names) if "DUR-2026-0101" in t)
    parts = [text for style, text in headings[first_item + 1 : first_item + 5] if style == "Heading 3"]
    assert parts == ["Agency checks", "Signs of Wellbeing mapping", "Scaling", "Actions"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Reference: DUR-2026-0101\nType: New\nPresented by:" in text
    assert text.rstrip().endswith("(version 1)")

    rendering = render(every_document["minutes"], "minutes-order", tmp_path)
    reading = rendering.text.text
    checks, mapping = reading.index("Agency checks"), reading.index("Signs of Wellbeing mapping")
    assert reading.index("Presented by") < checks < mapping < reading.index("Worries", mapping)
    assert reading.index("Worries", mapping) < reading.index("Scaling") < reading.index("Agree an", mapping)
    assert ANON_CHILD not in reading


def test_scores_are_given_family_presenter_group_whatever_order_they_were_saved_in(app, db, held):
    from lehc.families import services as family_services
    from lehc.models import ScoreView

    discussion = held["first"].discussion
    family_services.record_discussion(
        held["first"],
        mapping={"worries": "Worries"},
        scores={ScoreView.GROUP: 5, ScoreView.PRESENTER: 4, ScoreView.FAMILY: 6},
        decision=discussion.decision,
        decision_notes="",
        review_on=None,
        new_actions=[],
        by=held["coordinator"],
    )
    db.session.commit()
    docx = sign_in_as(app.test_client(), held["coordinator"]).get(f"/meetings/{held['meeting'].id}/minutes.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "The family 6; Presenting practitioner 4; The group 5" in text


def test_a_distribution_copy_says_whose_it_is_and_the_agenda_where_to_go(every_document):
    copy = "\n".join(p.text for p in Document(io.BytesIO(every_document["distribution-copy"])).paragraphs)
    assert "Copy for CAMHS: holds only the items shared with CAMHS." in copy
    assert "copy for CAMHS" in Document(io.BytesIO(every_document["distribution-copy"])).core_properties.subject
    agenda = "\n".join(p.text for p in Document(io.BytesIO(every_document["agenda"])).paragraphs)
    assert "Venue: Durham Family Hub, room 2" in agenda
    assert "Join online: https://meet.example.org/lehc-durham" in agenda


def test_the_landscape_tracker_holds_at_least_fifteen_one_line_actions_a_page(app, db, held, tmp_path):
    coordinator = held["coordinator"]
    meeting = held["meeting"]
    for number in range(45):  # the example: it wrapped to three lines in a sixth of the width
        db.session.add(
            Action(
                meeting=meeting,
                description="Agree an attendance plan with the family",
                owner=coordinator,
                due_on=date.today() + timedelta(days=number),
            )
        )
    db.session.commit()
    total = len(db.session.scalars(select(Action)).all())
    docx = sign_in_as(app.test_client(), coordinator).get("/actions.docx", query_string={"status": "any"}).data
    rendering = render(docx, "tracker-dense", tmp_path)
    assert len(rendering.pages) <= -(-total // 15), (total, len(rendering.pages))


def test_tracker_files_are_named_by_what_they_hold(app, db, held):
    client = sign_in_as(app.test_client(), held["coordinator"])

    def name(**query) -> str:
        disposition = client.get("/actions.docx", query_string=query).headers["Content-Disposition"]
        return disposition.split('filename="')[1].rstrip('"')

    today = date.today().isoformat()
    assert name() == f"LEHC-actions-mine-open-by-locality-{today}.docx"
    assert name(group="owner") == f"LEHC-actions-mine-open-by-owner-{today}.docx"
    locality = held["meeting"].locality
    assert name(scope="all", status="any", due="overdue", locality=locality.id, group="owner") == (
        f"LEHC-actions-all-any-overdue-durham-by-owner-{today}.docx"
    )
    csv = client.get("/actions.csv", query_string={"scope": "all"}).headers["Content-Disposition"]
    assert f'filename="LEHC-actions-all-open-{today}.csv"' in csv


def test_declarations_are_for_readers_of_the_whole_meeting_and_two_savers_keep_both_texts(app, db, held):
    meeting = held["meeting"]
    url = f"/meetings/{meeting.id}/minutes/declarations"
    alice = sign_in_as(app.test_client(), held["coordinator"])
    bob = sign_in_as(app.test_client(), held["chair"])
    run = parse(alice.get(f"/meetings/{meeting.id}/run"))
    original = run.select_one("form[action$='/minutes/declarations'] input[name=original]")["value"]
    assert alice.post(url, data={"declarations": DECLARATION, "original": original}).status_code == 302
    page = parse(bob.post(url, data={"declarations": "Bob's version", "original": original}))
    assert "Someone else changed the declarations" in page.select_one(".govuk-error-summary").text
    assert (
        page.select_one("#declarations-saved, [data-testid=declarations-saved]")
        .get_text(" ", strip=True)
        .endswith(DECLARATION)
    )
    assert page.select_one("textarea#declarations").get_text() == "Bob's version"  # kept for him to merge

    whole = parse(alice.get(f"/meetings/{meeting.id}/minutes")).select_one("[data-testid=declarations]").get_text()
    assert whole == DECLARATION
    called_on = sign_in_as(app.test_client(), held["police"])
    assert parse(called_on.get(f"/meetings/{meeting.id}/minutes")).select_one("[data-testid=declarations]") is None
    docx = called_on.get(f"/meetings/{meeting.id}/minutes.docx").data
    assert "Declarations of interest" not in [p.text for p in Document(io.BytesIO(docx)).paragraphs]
