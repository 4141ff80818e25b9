"""Invites go through the outbox to a real SMTP server; nothing is lost when the server is down."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lehc.mail import send_outbox
from lehc.meetings import services
from lehc.models import MembershipKind, OutboxMessage, OutboxStatus, Role
from lehc.models.people import utcnow
from tests.support.smtp import SMTPServer


@pytest.fixture
def published(factories, db):
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")
    factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    meeting = factories.meeting("DUR")
    factories.item(meeting, reference="DUR-2026-0007", title="Brown family", call_on=[police])
    services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    return meeting


def config_for(app, server: SMTPServer) -> dict:
    return {**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": server.port}


def pending(db) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)))


def test_invites_arrive_as_text_calendar_with_method_and_an_ics_attachment(app, db, smtp, published):
    queued = len(pending(db))
    assert queued == 3  # coordinator and CAMHS (core), police (their slot)
    report = send_outbox(config_for(app, smtp))
    assert (report.sent, report.failed) == (3, 0)
    assert len(smtp.messages) == 3
    message = smtp.messages[0]
    assert message["Subject"].startswith("Invitation: Durham LEHC, ")
    calendar_part = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    assert Calendar.from_ical(calendar_part.get_content())["METHOD"] == "REQUEST"
    attachment = next(part for part in message.walk() if part.get_filename() == "invite.ics")
    assert attachment.get_content_type() == "application/ics"
    for sent in smtp.messages:
        assert "Brown" not in sent.as_string()
    assert pending(db) == []


def test_with_the_server_down_messages_stay_queued_and_are_later_delivered_exactly_once(app, db, smtp, published):
    config = config_for(app, smtp)
    smtp.stop()
    report = send_outbox(config)
    assert report.failed == 3 and report.sent == 0 and report.error
    db.session.expire_all()
    waiting = pending(db)
    assert len(waiting) == 3
    assert all(m.attempts == 1 and m.last_error.startswith("cannot connect") for m in waiting)
    assert all(m.next_attempt_at > utcnow() for m in waiting)

    smtp.start()
    assert send_outbox(config).sent == 0  # back-off: not due yet
    later = utcnow() + timedelta(minutes=5)
    assert send_outbox(config, now=later).sent == 3
    assert send_outbox(config, now=later + timedelta(hours=2)).sent == 0
    assert len(smtp.messages) == 3
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        {m.recipient for m in db.session.scalars(select(OutboxMessage))}
    )


def test_without_smtp_configured_nothing_is_lost(app, db, published):
    report = send_outbox({**app.config, "SMTP_HOST": ""})
    assert report.waiting == 3 and "SMTP is not configured" in report.error
    assert len(pending(db)) == 3


def test_the_send_outbox_command_delivers(app, db, smtp, published, monkeypatch):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.output.strip() == "3 sent, 0 failed, 0 waiting"
    assert len(smtp.messages) == 3


def test_publishing_sends_at_once_when_smtp_is_configured(app, db, factories, smtp):
    from tests.conftest import sign_in_as

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    meeting = factories.meeting("DUR")
    client = sign_in_as(app.test_client(), meeting.organiser)
    client.post(f"/meetings/{meeting.id}/publish")
    assert [m["To"] for m in smtp.messages] == [meeting.organiser.email]
