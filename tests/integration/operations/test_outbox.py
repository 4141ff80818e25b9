"""Invites go through the outbox to a real SMTP server; nothing is lost when the server is down."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from lehc.mail import send_outbox
from lehc.meetings import services
from lehc.models import MembershipKind, OutboxMessage, OutboxStatus, Role
from lehc.models.people import utcnow
from tests.support.smtp import SMTPServer


@pytest.fixture
def published(factories, db):
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")
    factories.user(Role.MEMBER, locality="DUR", seat="CAMHS", name="Siân Ó Briain")
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
    assert calendar_part.get_content_charset() == "utf-8"
    assert next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content_charset() == "utf-8"
    assert Calendar.from_ical(calendar_part.get_content())["METHOD"] == "REQUEST"
    attachment = next(part for part in message.walk() if part.get_filename() == "invite.ics")
    assert attachment.get_content_type() == "application/ics"
    for sent in smtp.messages:
        assert "Brown" not in sent.as_string()
    to_sian = next(m for m in smtp.messages if "Siân" in str(m.get_body(("calendar",)).get_content()))
    assert 'CN="Siân Ó Briain"' in to_sian.get_body(("calendar",)).get_content()  # read with its charset
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


# ---------------------------------------------------------------- the outbox page (issue 12)


def _rows(client, **query) -> list[dict]:
    from tests.conftest import parse

    page = parse(client.get("/outbox", query_string=query))
    return [
        {
            "to": row.select("td")[1].get_text(" ", strip=True),
            "subject": row.select("td")[2].get_text(" ", strip=True),
            "status": row.select_one(".govuk-tag").get_text(strip=True),
            "resend": row.select_one("form") and row.select_one("form")["action"],
        }
        for row in page.select("[data-testid=outbox] tbody tr")
    ]


def test_a_coordinator_sees_what_was_e_mailed_about_their_locality_and_nothing_else(app, db, factories, published):
    from tests.conftest import parse, sign_in_as

    coordinator = published.organiser
    client = sign_in_as(app.test_client(), coordinator)
    rows = _rows(client)
    assert len(rows) == 3 and {row["status"] for row in rows} == {"Waiting"}
    assert all(row["subject"].startswith("Invitation") and "Brown" not in row["subject"] for row in rows)
    assert all(row["resend"] for row in rows)
    page = parse(client.get("/outbox"))
    assert "Brown family" not in page.get_text() and "BEGIN:VCALENDAR" not in page.get_text()

    desk = parse(client.get("/")).select_one("[data-testid=desk]")
    line = next(a for a in desk.select("a") if a.get_text(strip=True) == "Invitations and notices")
    assert (
        "status=pending" in line["href"]
        and line.find_parent("div").select_one(".govuk-tag").get_text(strip=True) == "3 waiting"
    )

    elsewhere = sign_in_as(app.test_client(), factories.user(Role.COORDINATOR, locality="EAS"))
    assert _rows(elsewhere) == []
    message = db.session.scalars(select(OutboxMessage)).first()
    assert elsewhere.post(f"/outbox/{message.id}/resend").status_code == 404
    assert sign_in_as(app.test_client(), factories.user(Role.MEMBER, locality="DUR")).get("/outbox").status_code == 403


def test_an_administrator_sees_every_message_but_never_sends_a_reset_link_again(app, db, factories, published):
    from tests.conftest import sign_in_as

    member = factories.user(Role.MEMBER, locality="DUR")
    app.test_client().post("/forgot-password", data={"email": member.email})
    admin = sign_in_as(app.test_client(), factories.user(Role.ADMIN, locality=None))
    rows = _rows(admin)
    assert len(rows) == 4
    [reset] = [row for row in rows if not row["subject"].startswith("Invitation")]
    assert reset["resend"] is None and "password" in reset["subject"].lower()
    reset_message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.calendar.is_(None)))
    html = admin.get("/outbox").get_data(as_text=True)
    assert "/reset-password/" in reset_message.body and "/reset-password/" not in html  # never a body or its link
    assert admin.post(f"/outbox/{reset_message.id}/resend").status_code == 403
    assert len(_rows(admin, status="failed")) == 0


def test_a_failed_invitation_is_tried_again_but_never_a_sent_or_replaced_one(app, db, smtp, published):
    from tests.conftest import parse, sign_in_as

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port)
    first = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    first.status, first.last_error, first.attempts = OutboxStatus.FAILED, "550 mailbox unavailable", 1
    db.session.commit()
    assert send_outbox(config_for(app, smtp)).sent == 2  # the others went
    others = [m["To"] for m in smtp.messages]
    client = sign_in_as(app.test_client(), published.organiser)
    [failed] = _rows(client, status="failed")
    assert (
        "550 mailbox unavailable"
        in parse(client.get("/outbox", query_string={"status": "failed"})).select_one("[data-testid=reason]").get_text()
    )
    assert [row["resend"] for row in _rows(client, status="sent")] == [None, None]  # a sent one is not sent again
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT)).first()
    assert client.post(f"/outbox/{sent.id}/resend").status_code == 403

    banner = parse(client.post(failed["resend"], follow_redirects=True)).select_one(".govuk-notification-banner")
    assert f"Sent again to {first.recipient}" in banner.get_text()
    assert [m["To"] for m in smtp.messages] == [*others, first.recipient]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, first.id).status is OutboxStatus.SENT
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3  # retried, not copied


def test_an_invitation_that_a_newer_one_replaced_is_not_tried_again(app, db, published):
    from tests.conftest import parse, sign_in_as

    first = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    first.status, first.last_error = OutboxStatus.FAILED, "550 mailbox unavailable"
    services.send_invites(published, update=True)  # a reschedule's updated invitations: the same events
    db.session.commit()
    client = sign_in_as(app.test_client(), published.organiser)
    rows = _rows(client)
    assert len(rows) == 6
    [old] = [row for row in rows if row["status"] == "Failed"]
    assert old["resend"] is None
    page = parse(client.post(f"/outbox/{first.id}/resend", follow_redirects=True))
    assert "replaced this one" in page.select_one(".govuk-notification-banner").get_text()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, first.id).status is OutboxStatus.FAILED


def test_odd_query_strings_on_the_list_pages_are_ignored_not_a_500(app, db, published, factories):
    from tests.conftest import sign_in_as

    client = sign_in_as(app.test_client(), published.organiser)
    for url in ("/outbox", "/meetings", "/actions"):
        for query in ({"message_id": "1"}, {"_scheme": "javascript", "_external": "1"}, {"group": "owner"}):
            response = client.get(url, query_string={**query, "page": "1"})
            assert response.status_code == 200, (url, query)
            assert "javascript:" not in response.get_data(as_text=True), (url, query)
