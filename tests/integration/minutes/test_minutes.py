import csv
import io
import zipfile
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from sqlalchemy import select

from lehc.models import (
    Action,
    ActionStatus,
    AuditEvent,
    MeetingStatus,
    MinutesVersion,
)
from tests.conftest import parse, sign_in_as
from tests.integration.minutes.world import ANON_CHILD, docx_text
from tests.support.office import docx_to_pdf


def test_attendance_is_recorded_per_invitee_and_a_deputy_needs_a_name(app, db, held):
    client = sign_in_as(app.test_client(), held["coordinator"])
    meeting = held["meeting"]
    url = f"/meetings/{meeting.id}/run"
    response = client.post(url, data={"form": "attendance", f"status-{held['camhs'].id}": "deputy"})
    assert response.status_code == 400
    page = parse(response)
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Enter the name of Cam Hughes's deputy"
    response = client.post(
        url,
        data={
            "form": "attendance",
            f"status-{held['camhs'].id}": "deputy",
            f"deputy-{held['camhs'].id}": "Dee Puty",
            f"status-{held['chair'].id}": "present",
            f"status-{held['police'].id}": "present",
        },
    )
    assert response.status_code == 302
    page = parse(client.get(f"/meetings/{meeting.id}/minutes"))
    text = page.get_text(" ", strip=True)
    assert "Deputy sent: Dee Puty" in text and "Present" in text


def test_minutes_docx_has_structure_marking_and_redaction(app, db, held, tmp_path):
    client = sign_in_as(app.test_client(), held["coordinator"])
    meeting = held["meeting"]
    client.post(f"/meetings/{meeting.id}/run", data={"form": "attendance", f"status-{held['chair'].id}": "present"})
    response = client.get(f"/meetings/{meeting.id}/minutes.docx")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="LEHC-minutes-durham-{meeting.day.isoformat()}.docx"'
    )
    document = Document(io.BytesIO(response.data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Durham Locality Early Help Conversation: minutes")
    assert ("Heading 2", "Attendance") in headings
    assert any(text.endswith("DUR-2026-0101: Attendance and a young carer") for _, text in headings)
    for section in document.sections:
        assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
        assert "OFFICIAL-SENSITIVE" in section.footer.paragraphs[0].text
        assert "PAGE" in section.footer.paragraphs[0]._p.xml
    text = docx_text(document)
    assert "Family consulted anonymously; child aged" in text
    assert ANON_CHILD not in text and "Development worries" not in text
    mapping_tables = [t for t in document.tables if t.rows[0].cells[0].text == "What are we worried about?"]
    assert len(mapping_tables) == 2 and "Worries about DUR-2026-0101" in mapping_tables[0].rows[1].cells[0].text
    assert all(t.style.name == "Table Grid" for t in document.tables)

    pdf_text, pages = docx_to_pdf(response.data, "minutes", tmp_path)
    assert pages >= 1
    assert pdf_text.has_words("OFFICIAL-SENSITIVE") and pdf_text.has_words("Agree an attendance plan")
    assert pdf_text.has_none_of(ANON_CHILD)


def test_a_call_on_member_exports_only_their_item(app, db, held):
    response = sign_in_as(app.test_client(), held["police"]).get(f"/meetings/{held['meeting'].id}/minutes.docx")
    text = docx_text(Document(io.BytesIO(response.data)))
    assert "DUR-2026-0101: not shared with you" in text
    assert "Attendance and a young carer" not in text and "Agree an attendance plan" not in text
    assert "Offer a parenting group" in text  # their own item's actions


def test_every_export_is_audited(app, db, held):
    client = sign_in_as(app.test_client(), held["coordinator"])
    meeting = held["meeting"]
    for url in (
        f"/meetings/{meeting.id}/minutes.docx",
        f"/meetings/{meeting.id}/agenda.docx",
        "/actions.csv",
        "/actions.docx",
    ):
        assert client.get(url).status_code == 200
    exports = db.session.scalars(select(AuditEvent.object_type).where(AuditEvent.action == "export")).all()
    assert sorted(exports) == ["actions", "actions", "agenda", "minutes"]


def test_approval_locks_the_minutes_and_an_amendment_keeps_the_approved_version(app, db, held):
    meeting = held["meeting"]
    chair = sign_in_as(app.test_client(), held["chair"])
    coordinator = sign_in_as(app.test_client(), held["coordinator"])
    assert coordinator.post(f"/meetings/{meeting.id}/minutes/approve").status_code == 403
    chair.post(f"/meetings/{meeting.id}/minutes/approve")
    db.session.expire_all()
    assert meeting.status is MeetingStatus.MINUTES_APPROVED
    version_one = coordinator.get(f"/meetings/{meeting.id}/minutes.docx?version=1").data

    # locked: the discussion cannot be changed, attendance cannot be saved
    response = coordinator.get(f"/meetings/{meeting.id}/items/{held['first'].id}/discussion")
    assert response.status_code == 302
    assert (
        coordinator.post(
            f"/meetings/{meeting.id}/minutes/actions",
            data={
                "description": "Late action",
                "owner_id": str(held["coordinator"].id),
                "owner_agency_id": "0",
                "due_on": ["1", "1", str(date.today().year + 1)],
            },
        ).status_code
        == 302
    )
    assert db.session.scalar(select(Action).where(Action.description == "Late action")) is None

    page = parse(chair.post(f"/meetings/{meeting.id}/minutes/amend", data={"reason": ""}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Enter why the minutes need to change"
    chair.post(f"/meetings/{meeting.id}/minutes/amend", data={"reason": "Wrong owner on an action"})
    discussion = held["first"].discussion
    db.session.expire_all()
    discussion.next_steps = "Plan, amended"
    db.session.commit()
    chair.post(f"/meetings/{meeting.id}/minutes/approve")
    versions = db.session.scalars(select(MinutesVersion).order_by(MinutesVersion.number)).all()
    assert [(v.number, v.amendment_reason) for v in versions] == [(1, ""), (2, "Wrong owner on an action")]
    again = coordinator.get(f"/meetings/{meeting.id}/minutes.docx?version=1").data
    assert docx_text(Document(io.BytesIO(again))) == docx_text(Document(io.BytesIO(version_one)))
    latest = docx_text(Document(io.BytesIO(coordinator.get(f"/meetings/{meeting.id}/minutes.docx").data)))
    assert "Plan, amended" in latest and "version 2" in latest


def test_two_people_editing_a_discussion_do_not_overwrite_each_other(app, db, held):
    meeting, item = held["meeting"], held["first"]
    url = f"/meetings/{meeting.id}/items/{item.id}/discussion"
    alice = sign_in_as(app.test_client(), held["coordinator"])
    bob = sign_in_as(app.test_client(), held["chair"])
    version = parse(alice.get(url)).select_one("input[name=version]")["value"]
    assert parse(bob.get(url)).select_one("input[name=version]")["value"] == version

    def form(worries: str) -> dict:
        return {
            "worries": worries,
            "version": version,
            "decision": "taf",
            "new_actions-0-description": "",
            "new_actions-0-owner_id": "0",
            "new_actions-0-owner_agency_id": "0",
            "new_actions-1-description": "",
            "new_actions-1-owner_id": "0",
            "new_actions-1-owner_agency_id": "0",
        }

    assert alice.post(url, data=form("Alice's words")).status_code == 302
    response = bob.post(url, data=form("Bob's words"))
    page = parse(response)
    assert response.status_code == 200
    assert "Someone else saved this discussion" in page.select_one(".govuk-error-summary").text
    assert page.select_one("#worries").get_text() == "Bob's words"  # Bob's text is kept for him
    assert "Alice's words" in page.select_one("[data-testid=conflict] + .govuk-inset-text").text
    db.session.expire_all()
    assert item.discussion.worries == "Alice's words"


def test_agenda_docx_lists_slots_and_call_on_members(app, db, held, tmp_path):
    response = sign_in_as(app.test_client(), held["coordinator"]).get(f"/meetings/{held['meeting'].id}/agenda.docx")
    pdf_text, pages = docx_to_pdf(response.data, "agenda", tmp_path)
    assert (
        pages == 1 and pdf_text.has_words("Welcome, introductions and apologies") and pdf_text.has_none_of(ANON_CHILD)
    )
    document = Document(io.BytesIO(response.data))
    [agenda] = document.tables
    rows = [[cell.text for cell in row.cells] for row in agenda.rows]
    assert rows[0] == ["Time", "Item", "Type", "Presenter", "Called on"]
    assert rows[4][4] == "Percy Police" and rows[4][1].startswith("DUR-2026-0102: Family consulted anonymously")


def test_distribution_copies_give_each_attending_agency_only_what_it_may_see(app, db, held, tmp_path):
    meeting = held["meeting"]
    coordinator = sign_in_as(app.test_client(), held["coordinator"])
    coordinator.post(
        f"/meetings/{meeting.id}/run",
        data={"form": "attendance", f"status-{held['camhs'].id}": "present", f"status-{held['police'].id}": "present"},
    )
    assert coordinator.get(f"/meetings/{meeting.id}/distribution.zip").status_code == 404  # not approved yet
    sign_in_as(app.test_client(), held["chair"]).post(f"/meetings/{meeting.id}/minutes/approve")
    response = coordinator.get(f"/meetings/{meeting.id}/distribution.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(name.startswith("LEHC-minutes-durham-") for name in names)
    police_copy = next(n for n in names if n.endswith("durham-constabulary.docx"))
    camhs_copy = next(n for n in names if n.endswith("camhs.docx"))
    police_text = docx_text(Document(io.BytesIO(archive.read(police_copy))))
    camhs_text = docx_text(Document(io.BytesIO(archive.read(camhs_copy))))
    assert "Agree an attendance plan" not in police_text and "Offer a parenting group" in police_text
    assert "Agree an attendance plan" in camhs_text


def test_the_tracker_filters_exports_csv_safely_and_owners_update_their_actions(app, db, held, tmp_path):
    coordinator = sign_in_as(app.test_client(), held["coordinator"])
    page = parse(coordinator.get("/actions"))
    descriptions = [row.select("td")[0].get_text(strip=True) for row in page.select("[data-testid=actions] tbody tr")]
    assert "Agree an attendance plan" in descriptions and len(descriptions) == 3
    police_page = parse(sign_in_as(app.test_client(), held["police"]).get("/actions", query_string={"scope": "all"}))
    police_rows = [r.get_text(" ", strip=True) for r in police_page.select("[data-testid=actions] tbody tr")]
    assert len(police_rows) == 1 and "Offer a parenting group" in police_rows[0]

    data = coordinator.get("/actions.csv").data
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Action", "Family / meeting", "Owner", "Agency", "Due", "Status"]
    injected = next(r for r in rows if "HYPERLINK" in r[0])
    assert injected[0].startswith("'=")

    action = db.session.scalar(select(Action).where(Action.description == "Agree an attendance plan"))
    page = parse(coordinator.post(f"/actions/{action.id}", data={"status": "cancelled", "reason": "", "note": ""}))
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == "Enter why the action was not done"
    coordinator.post(f"/actions/{action.id}", data={"status": "done", "note": "Plan agreed at school"})
    db.session.expire_all()
    assert action.status is ActionStatus.DONE and action.completed_on == date.today()
    assert [u.note for u in action.updates] == ["Plan agreed at school"]
    other = sign_in_as(app.test_client(), held["camhs"])
    assert other.post(f"/actions/{action.id}", data={"status": "open"}).status_code == 403

    tracker = coordinator.get("/actions.docx", query_string={"status": "any", "group": "owner"})
    document = Document(io.BytesIO(tracker.data))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[0].page_width > document.sections[0].page_height
    assert any(p.style.name == "Heading 2" and p.text.startswith("Cody Coordinator") for p in document.paragraphs)
    pdf_text, pages = docx_to_pdf(tracker.data, "tracker", tmp_path)
    assert pdf_text.has_words("Agree an attendance") and pdf_text.has_words("Offer a parenting") and pages == 1


def test_open_and_recently_done_actions_are_carried_to_the_next_meeting(app, db, factories, held):
    coordinator = held["coordinator"]
    next_meeting = factories.meeting("DUR", organiser=coordinator)
    done = db.session.scalar(select(Action).where(Action.description == "Offer a parenting group"))
    done.status, done.completed_on = ActionStatus.DONE, date.today()
    db.session.commit()
    page = parse(sign_in_as(app.test_client(), coordinator).get(f"/meetings/{next_meeting.id}"))
    carried = page.select_one("[data-testid=carried-forward]").get_text(" ", strip=True)
    assert "Agree an attendance plan" in carried and "Offer a parenting group" in carried and "done" in carried


def test_editing_a_discussion_shows_empty_new_action_boxes_and_does_not_copy_actions(app, db, held):
    meeting, item = held["meeting"], held["first"]
    url = f"/meetings/{meeting.id}/items/{item.id}/discussion"
    client = sign_in_as(app.test_client(), held["coordinator"])
    page = parse(client.get(url))
    assert page.select_one("#new_actions-0-description").get_text() == ""
    assert "Agree an attendance plan" in page.select_one("[data-testid=existing-actions]").text
    form = {
        field["name"]: field.get("value", "")
        for field in page.select("form input[name]")
        if field.get("type") != "submit"
    }
    form.update({area["name"]: area.get_text() for area in page.select("form textarea[name]")})
    form.update(
        {
            select["name"]: (select.select_one("option[selected]") or {"value": "0"})["value"]
            for select in page.select("form select[name]")
        }
    )
    form["decision"] = "taf"
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    assert len(item.discussion.actions) == 2


def test_two_people_saving_the_notes_are_told_of_the_conflict(app, db, held):
    meeting = held["meeting"]
    url = f"/meetings/{meeting.id}/run"
    alice = sign_in_as(app.test_client(), held["coordinator"])
    bob = sign_in_as(app.test_client(), held["chair"])
    original = parse(alice.get(url)).select_one("input[name=original]")["value"]
    alice.post(f"/meetings/{meeting.id}/minutes/notes", data={"original": original, "minutes_notes": "Alice's AOB"})
    response = bob.post(
        f"/meetings/{meeting.id}/minutes/notes", data={"original": original, "minutes_notes": "Bob's AOB"}
    )
    page = parse(response)
    assert "Someone else changed the notes" in page.select_one(".govuk-error-summary").text
    assert page.select_one("#minutes_notes").get_text() == "Bob's AOB"
    assert "Alice's AOB" in page.select_one("[data-testid=notes-saved]").text
    db.session.expire_all()
    assert meeting.minutes_notes == "Alice's AOB"


def test_a_low_group_score_needs_a_step_up_decision_before_the_discussion_is_saved(app, db, held):
    meeting, item = held["meeting"], held["first"]
    url = f"/meetings/{meeting.id}/items/{item.id}/discussion"
    client = sign_in_as(app.test_client(), held["coordinator"])
    version = parse(client.get(url)).select_one("input[name=version]")["value"]
    form = {
        "worries": "Serious worries",
        "score_group": "2",
        "decision": "taf",
        "version": version,
        "new_actions-0-description": "",
        "new_actions-0-owner_id": "0",
        "new_actions-0-owner_agency_id": "0",
        "new_actions-1-description": "",
        "new_actions-1-owner_id": "0",
        "new_actions-1-owner_agency_id": "0",
    }
    page = parse(client.post(url, data=form))
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "The group's score is 2, at or below 2: record the group's decision on stepping up"
    ]
    page = parse(client.post(url, data={**form, "step_up_answer": "not_needed"}))
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "Enter why stepping up is not needed now"
    ]
    db.session.expire_all()
    assert item.discussion.worries != "Serious worries"  # nothing saved until the decision is made
    assert client.post(url, data={**form, "step_up_answer": "intensive"}).status_code == 302
    minutes = parse(client.get(f"/meetings/{meeting.id}/minutes"))
    assert minutes.select_one("[data-testid=step-up]").get_text(" ", strip=True) == (
        "Stepping up: The group's score is 2, at or below 2. "
        "Decision on stepping up: Step up to Intensive Family Support"
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "step_up_decision"))
    assert event.detail == "The group's score is 2, at or below 2: intensive"


def test_a_fall_of_three_since_the_last_discussion_raises_the_prompt(app, db, factories, held):
    coordinator = held["coordinator"]
    held["first"].discussion.scores[0].score = 8  # the last discussion's group score
    db.session.commit()
    later = factories.meeting("DUR", organiser=coordinator)
    item = factories.item(later, family=held["first"].family)
    url = f"/meetings/{later.id}/items/{item.id}/discussion"
    client = sign_in_as(app.test_client(), coordinator)
    blank_actions = {f"new_actions-{i}-{f}": "0" for i in (0, 1) for f in ("owner_id", "owner_agency_id")}
    form = {"version": "0", "decision": "taf", **blank_actions}
    page = parse(client.post(url, data={**form, "score_group": "5"}))  # 8 -> 5: a fall of three
    assert [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")] == [
        "The group's score fell from 8 to 5: record the group's decision on stepping up"
    ]
    assert client.post(url, data={**form, "score_group": "6"}).status_code == 302  # 8 -> 6 needs no decision


def test_control_characters_in_any_text_never_break_a_word_file_approved_versions_included(app, db, held):
    meeting, first = held["meeting"], held["first"]
    poisoned = "Line one\x0bline two\x01\x0cpage two\x1f end"
    meeting.minutes_notes = poisoned
    first.discussion.worries = poisoned
    first.family.summary = poisoned
    first.discussion.actions[0].description = poisoned
    db.session.commit()
    chair = sign_in_as(app.test_client(), held["chair"])
    live = chair.get(f"/meetings/{meeting.id}/minutes.docx")
    assert live.status_code == 200
    text = docx_text(Document(io.BytesIO(live.data)))
    assert "Line one\nline two\npage two end" in text and "\x01" not in text
    chair.post(f"/meetings/{meeting.id}/minutes/approve")
    for url in (
        f"/meetings/{meeting.id}/minutes.docx?version=1",
        f"/meetings/{meeting.id}/agenda.docx",
        f"/meetings/{meeting.id}/distribution.zip",
        "/actions.docx?scope=all&status=any",
    ):
        assert chair.get(url).status_code == 200, url
