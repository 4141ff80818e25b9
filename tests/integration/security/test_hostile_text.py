"""Property-based (issue 9): control characters, line breaks of every kind and other hostile text typed or pasted into
every text field of every form. A single-line field refuses them on the form; free text is stored cleaned; nothing
answers 500; and afterwards every export (Word files, approved versions included, CSV, calendars, the subject
access files and the family letter) still answers and opens, and the outbox still sends everything."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from sqlalchemy import select

from lehc.families import services as family_services
from lehc.mail import send_outbox
from lehc.meetings import services as meeting_services
from lehc.models import Action, AgencyCheck, Decision, OutboxMessage, OutboxStatus, Role, ScoreView
from lehc.text import is_one_line
from tests.conftest import parse, sign_in_as

CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x20), 0x7F, 0x85, 0x2028, 0x2029])
HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "Teesdale\r\nBcc: evil@example.org",
            "line one\x0bline two\x0cpage two",
            "\x01\x02\x1b[31mred\x1b[0m",
            "tab\tseparated",
            '=HYPERLINK("http://evil")',
            "<w:p>not xml</w:p> & ]]>",
            "\u202egnp.exe",
        ]
    ),
    st.text(alphabet=st.sampled_from(CONTROLS) | st.characters(codec="utf-8"), min_size=1, max_size=60),
)
ONE_LINE_HOSTILE = '=HYPERLINK("http://evil") <w:p>&amp; ]]> \u202egnp.exe\ttab'
FREE_HOSTILE = "Worries\x0bline\x01two\u2028three\x0cfour\r\n\x1b[0m ]]> <w:p> =cmd|' /C calc'!A0"
FINAL = {  # what the last, certain save needs besides
    "reschedule": {"online_link": "https://teams.example.org/l/meetup?x=%3Cw:p%3E&y=]]%3E"},
    "closure": {"day": ["28", "12", "2026"]},
}
BLANK_ACTIONS = {
    f"new_actions-{n}-{field}": value
    for n in (0, 1)
    for field, value in (("description", ""), ("owner_id", "0"), ("owner_agency_id", "0"))
}


@pytest.fixture
def setting(app, factories, db):
    chair = factories.user(Role.CHAIR, locality="DUR", name="Cara Chair")
    admin = factories.user(Role.ADMIN, locality=None)
    member = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS", name="Cam Hughes")
    family = factories.family("DUR", reference="DUR-2026-0600", summary="Saved before")
    family.lead_practitioner = chair  # writes the family letter
    meeting = factories.meeting("DUR", organiser=chair)
    meeting.starts_at = datetime.now(UTC) - timedelta(hours=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    item = factories.item(meeting, family=family, title="Attendance")
    item.presenter = chair
    meeting_services.publish_agenda(meeting, chair)
    family_services.record_discussion(
        item,
        mapping={"worries": "Attendance"},
        scores={ScoreView.GROUP: 6},
        decision=Decision.TAF,
        decision_notes="",
        review_on=None,
        new_actions=[{"description": "Plan", "owner_id": chair.id, "owner_agency_id": None, "due_on": date.today()}],
        by=chair,
    )
    db.session.commit()
    action = db.session.scalars(select(Action)).first()
    check = db.session.scalars(select(AgencyCheck).where(AgencyCheck.item_id == item.id)).first()
    ids = {
        "family": family.id,
        "meeting": meeting.id,
        "item": item.id,
        "locality": family.locality_id,
        "action": action.id,
        "check": check.id if check else 0,
        "chair": chair.id,
        "member": member.id,
        "agency": factories.agency().id,
    }
    clients = {
        "chair": sign_in_as(app.test_client(), chair),
        "admin": sign_in_as(app.test_client(), admin),
        "member": sign_in_as(app.test_client(), member),
    }
    return ids, clients


# form: (who, url, the form's text fields, the other fields a valid save needs)
FORMS = {
    "family": (
        "chair",
        "/families/{family}/edit",
        ["summary"],
        {"requested_on": ["1", "9", "2026"], "lead_practitioner_id": "0"},
    ),
    "member": (
        "chair",
        "/families/{family}/members/new",
        ["name", "school_or_setting", "relationship_to_child"],
        {"kind": "child", "date_of_birth": ["3", "3", "2017"]},
    ),
    "consent": (
        "chair",
        "/families/{family}/consents/new",
        ["given_by_name", "given_by_relationship"],
        {"given_on": ["1", "9", "2026"], "method": "verbal", "covers": ["discussion"], "expires_on": ["", "", ""]},
    ),
    "item": (
        "chair",
        "/meetings/{meeting}/items/{item}/edit",
        ["title"],
        {"family_id": "{family}", "discussion_type": "new", "presenter_id": "{chair}", "duration_minutes": "20"},
    ),
    "discussion": (
        "chair",
        "/meetings/{meeting}/items/{item}/discussion",
        ["worries", "strengths", "next_steps", "decision_notes", "new_actions-0-description"],
        {
            **BLANK_ACTIONS,
            "decision": "taf",
            "new_actions-0-owner_id": "{chair}",
            "new_actions-0-due_on": ["1", "12", "2026"],
        },
    ),
    "notes": ("chair", "/meetings/{meeting}/minutes/notes", ["minutes_notes"], {}),
    "meeting action": (
        "chair",
        "/meetings/{meeting}/minutes/actions",
        ["description"],
        {"owner_id": "{chair}", "owner_agency_id": "0", "due_on": ["1", "12", "2026"]},
    ),
    "action update": ("chair", "/actions/{action}", ["reason", "note"], {"status": "cancelled"}),
    "agency check": ("member", "/meetings/{meeting}/agency-checks/{check}", ["note"], {"answer": "known"}),
    "reschedule": (
        "chair",
        "/meetings/{meeting}/reschedule",
        ["venue", "online_link"],
        {"day": ["10", "12", "2026"], "start_time": "9:30", "duration_minutes": "120"},
    ),
    "response": (
        "member",
        "/meetings/{meeting}/response",
        ["deputy_name"],
        {"response": "deputy", "deputy_email": "d@example.org"},
    ),
    "closure": ("chair", "/localities/{locality}/closures", ["reason"], {"day": ["24", "12", "2026"]}),
    "locality": ("admin", "/admin/localities/{locality}/edit", ["name"], {}),
    "user": (
        "admin",
        "/admin/users/{member}/edit",
        ["name", "job_title"],
        {"email": "cam.hughes@example.org", "agency_id": "{agency}", "role": "member"},
    ),
}
SINGLE_LINE = {
    "given_by_name",
    "given_by_relationship",
    "name",
    "school_or_setting",
    "relationship_to_child",
    "title",
    "reason",
    "venue",
    "online_link",
    "deputy_name",
    "job_title",
}


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    return [_fill(part, ids) for part in value] if isinstance(value, list) else value


def _hidden_fields(client, url: str) -> dict:
    """What the form page itself carries (the version it was opened at, the notes' fingerprint)."""
    page_url = url.removesuffix("/minutes/notes") + "/run" if url.endswith("/minutes/notes") else url
    page = parse(client.get(page_url))
    return {field["name"]: field.get("value", "") for field in page.select("form[method=post] input[type=hidden]")}


@pytest.mark.parametrize("form_name", list(FORMS))
def test_control_characters_in_every_text_field_are_refused_or_cleaned_never_a_500(app, db, setting, form_name):
    ids, clients = setting
    role, url, text_fields, others = FORMS[form_name]
    client, url = clients[role], url.format(**ids)
    if "{check}" in FORMS[form_name][1] and not ids["check"]:
        pytest.skip("no agency check for this item")

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(values=st.lists(HOSTILE_TEXT, min_size=len(text_fields), max_size=len(text_fields)))
    def post(values):
        data = {**_hidden_fields(client, url), **{k: _fill(v, ids) for k, v in others.items()}}
        data.update(zip(text_fields, values, strict=True))
        response = client.post(url, data=data)
        assert response.status_code in (200, 302, 400), (form_name, response.status_code)
        refused = [
            field
            for field, value in zip(text_fields, values, strict=True)
            if field in SINGLE_LINE and not is_one_line(value.replace("\t", " ").replace("\x00", ""))
        ]
        if refused and response.status_code != 302:
            errors = parse(response).select(".govuk-error-summary a")
            assert any("must be on one line" in e.get_text() for e in errors) or errors, form_name
        if refused:
            assert response.status_code != 302, (form_name, refused)  # a line break never gets into a single-line field

    post()
    # and one save that certainly goes in, so every export below reads hostile text (one-line where it must be)
    data = {**_hidden_fields(client, url), **{k: _fill(v, ids) for k, v in others.items()}}
    data.update({field: ONE_LINE_HOSTILE if field in SINGLE_LINE else FREE_HOSTILE for field in text_fields})
    data.update(FINAL.get(form_name, {}))
    assert client.post(url, data=data).status_code == 302, parse(client.post(url, data=data)).select_one(
        ".govuk-error-summary"
    )
    _every_export_still_works(app, db, ids, clients)


def _every_export_still_works(app, db, ids, clients):
    chair, member = clients["chair"], clients["member"]
    meeting = ids["meeting"]
    for url in (
        f"/meetings/{meeting}/minutes.docx",
        f"/meetings/{meeting}/agenda.docx",
        "/actions.docx",
        f"/families/{ids['family']}/subject-access.docx",
    ):
        response = (clients["admin"] if "subject-access" in url else chair).get(url)
        assert response.status_code == 200, url
        Document(io.BytesIO(response.data))  # a Word file python-docx (and so Word's XML parser) reads
    for url in ("/actions.csv", "/insight.csv"):
        response = chair.get(url)
        assert response.status_code == 200, url
        list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert clients["admin"].get(f"/families/{ids['family']}/subject-access.json").status_code == 200
    for client in (chair, member):
        response = client.get(f"/meetings/{meeting}/calendar.ics")
        assert response.status_code == 200
        for event in Calendar.from_ical(response.data).walk("VEVENT"):
            assert is_one_line(str(event["SUMMARY"])) and is_one_line(str(event["LOCATION"]))
    for url in ("/", "/actions", f"/meetings/{meeting}", f"/meetings/{meeting}/pack", f"/families/{ids['family']}"):
        assert chair.get(url).status_code == 200, url


def test_approved_minutes_and_letters_with_hostile_text_still_export(app, db, setting):
    ids, clients = setting
    chair, meeting = clients["chair"], ids["meeting"]
    text = "Worries\x0bline\x01two\u2028three\x0cfour \x1b[0m"
    discussion_url = f"/meetings/{meeting}/items/{ids['item']}/discussion"
    data = {**_hidden_fields(chair, discussion_url), **BLANK_ACTIONS, "decision": "taf", "worries": text}
    assert chair.post(discussion_url, data=data).status_code == 302
    assert chair.post(f"/meetings/{meeting}/minutes/approve").status_code == 302
    for url in (f"/meetings/{meeting}/minutes.docx", f"/meetings/{meeting}/minutes.docx?version=1"):
        response = chair.get(url)
        assert response.status_code == 200
        words = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
        words += "\n".join(
            cell.text
            for table in Document(io.BytesIO(response.data)).tables
            for row in table.rows
            for cell in row.cells
        )
        assert "Worries\nline" in words and "\x01" not in words
    distribution = chair.get(f"/meetings/{meeting}/distribution.zip")
    assert distribution.status_code == 200
    with zipfile.ZipFile(io.BytesIO(distribution.data)) as archive:
        for name in archive.namelist():
            Document(io.BytesIO(archive.read(name)))
    letter_url = f"/meetings/{meeting}/items/{ids['item']}/letter"
    parts = {"talked_about": text, "working_well": text, "next_steps": text, "contact": text}
    response = chair.post(letter_url, data=parts)
    assert response.status_code == 200 and response.mimetype.endswith("document")
    Document(io.BytesIO(response.data))


def test_after_hostile_input_the_outbox_sends_everything(app, db, setting, smtp):
    ids, clients = setting
    clients["admin"].post(f"/admin/localities/{ids['locality']}/edit", data={"name": "Durham\r\nBcc: evil@example.org"})
    url = f"/meetings/{ids['meeting']}/reschedule"
    reschedule = {"day": ["10", "12", "2026"], "start_time": "9:30", "duration_minutes": "120", "venue": "Hall 2"}
    assert clients["chair"].post(url, data={**_hidden_fields(clients["chair"], url), **reschedule}).status_code == 302
    send_outbox({**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port})
    statuses = {m.status for m in db.session.scalars(select(OutboxMessage))}
    assert statuses <= {OutboxStatus.SENT}, statuses
    assert not any(message.get("Bcc") for message in smtp.messages)
