"""Control characters (issue 9, findings 4 and 5): refused in single-line fields, cleaned out of free text at the
form, and harmless when already stored: mail keeps flowing, calendars, CSV and Word files still answer."""

import csv
import io

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lehc.mail import queue_message, send_outbox
from lehc.meetings import services as meeting_services
from lehc.models import Locality, OutboxMessage, OutboxStatus, Role
from tests.conftest import parse, sign_in_as

POISON = "Teesdale\r\nBcc: evil@example.org"


@pytest.fixture
def poisoned(app, factories, db):
    """A locality renamed with a header injection before names were checked (it is in the database already)."""
    chair = factories.user(Role.CHAIR, locality="DUR")
    factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    meeting = factories.meeting("DUR", organiser=chair)
    factories.item(meeting, reference="DUR-2026-0007", title="Brown family")
    locality = factories.locality("DUR")
    locality.name = POISON
    meeting_services.publish_agenda(meeting, chair)
    db.session.commit()
    return chair, meeting


def test_a_message_that_cannot_be_built_is_marked_failed_and_the_rest_are_sent(app, db, smtp, poisoned, factories):
    chair, _ = poisoned
    # queued before values were checked: a recipient no header can hold (a subject is flattened when sent)
    bad = OutboxMessage(recipient=chair.email + "\r\nBcc: evil@example.org", subject="Invitation: x", body="x")
    legacy = OutboxMessage(recipient=chair.email, subject="Invitation: " + POISON, body="x")
    db.session.add(legacy)
    db.session.add(bad)
    db.session.flush()
    reset = queue_message(to=chair, subject="Reset your LEHC password", body="A link")
    db.session.commit()

    report = send_outbox({**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port})

    assert (report.failed, report.unbuildable) == (1, [bad.id])
    db.session.expire_all()
    bad, reset, legacy = (db.session.get(OutboxMessage, m.id) for m in (bad, reset, legacy))
    assert bad.status == OutboxStatus.FAILED and "cannot be built" in bad.last_error
    assert reset.status == OutboxStatus.SENT and legacy.status == OutboxStatus.SENT
    subjects = [message["Subject"] for message in smtp.messages]
    assert "Reset your LEHC password" in subjects and "Invitation: Teesdale Bcc: evil@example.org" in subjects
    assert not any(message.get("Bcc") for message in smtp.messages)
    assert all("evil@example.org" not in message["To"] for message in smtp.messages)
    # nothing is left waiting behind it, and a second run does not try it again
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)).all() == []
    assert send_outbox({**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port}).failed == 0


def test_invites_queued_with_a_poisoned_name_have_one_line_subjects(app, db, smtp, poisoned):
    report = send_outbox({**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port})
    assert report.sent >= 2 and report.failed == 0
    for message in smtp.messages:
        assert "Teesdale Bcc: evil@example.org" in message["Subject"] and message.get("Bcc") is None


def test_calendars_and_csv_answer_with_a_poisoned_name(app, db, poisoned):
    chair, meeting = poisoned
    client = sign_in_as(app.test_client(), chair)
    download = client.get(f"/meetings/{meeting.id}/calendar.ics")
    assert download.status_code == 200
    event = Calendar.from_ical(download.data).walk("VEVENT")[0]
    assert "\n" not in str(event["SUMMARY"]) and "evil@example.org" in str(event["SUMMARY"])
    client.post("/profile/calendar-link")
    db.session.expire_all()
    feed = app.test_client().get(f"/calendar/{db.session.get(type(chair), chair.id).calendar_token}.ics")
    assert feed.status_code == 200
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert summaries and [s for s in summaries if not s.startswith("Teesdale Bcc: evil@example.org")] == []
    insight = client.get("/insight.csv")
    assert insight.status_code == 200
    rows = list(csv.reader(io.StringIO(insight.get_data(as_text=True))))
    assert any("Teesdale" in cell for row in rows for cell in row), rows


@pytest.mark.parametrize("value", [POISON, "Teesdale\x0bBcc", "Teesdale\u2028Bcc", "Teesdale\x01"])
def test_a_single_line_field_with_a_line_break_is_refused_on_the_form(app, db, factories, value):
    admin = factories.user(Role.ADMIN, locality=None)
    locality = factories.locality("TEE")
    db.session.commit()
    client = sign_in_as(app.test_client(), admin)
    page = parse(client.post(f"/admin/localities/{locality.id}/edit", data={"name": value}))
    assert [link.get_text(strip=True) for link in page.select(".govuk-error-summary a")] == [
        "Locality name must be on one line, without line breaks or control characters"
    ]
    db.session.expire_all()
    assert db.session.get(Locality, locality.id).name == "Teesdale"
    # a tab pasted from a spreadsheet is a space, not an error
    assert client.post(f"/admin/localities/{locality.id}/edit", data={"name": "Tees\tdale"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Locality, locality.id).name == "Tees dale"


def test_free_text_keeps_its_lines_and_loses_other_control_characters(app, db, factories):
    chair = factories.user(Role.CHAIR, locality="DUR")
    family = factories.family("DUR", reference="DUR-2026-0100", summary="Before")
    db.session.commit()
    client = sign_in_as(app.test_client(), chair)
    data = {
        "locality_id": family.locality_id,
        "requested_on": ["1", "9", "2026"],
        "lead_practitioner_id": "0",
        "summary": "First line\x0bSecond line\r\nThird\x01 line\x0cFourth",
        "version": str(family.version),
    }
    response = client.post(f"/families/{family.id}/edit", data=data)
    assert response.status_code == 302, parse(response).select_one(".govuk-error-summary")
    db.session.expire_all()
    assert db.session.get(type(family), family.id).summary == "First line\nSecond line\nThird line\nFourth"
