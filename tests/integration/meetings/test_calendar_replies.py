"""Accept, Decline and Tentative pressed in Outlook, Google Calendar and Thunderbird reach LEHC through a real IMAP
server (Dovecot): sound replies set the member's answer, anything else changes nothing and is moved aside."""

import logging
from datetime import date, time, timedelta
from email.message import EmailMessage

import pytest
from flask import current_app
from sqlalchemy import select

from lehc.meetings import replies, services
from lehc.models import AuditEvent, Meeting, MeetingResponse, MembershipKind, ResponseKind, ResponseSource, Role
from tests.conftest import sign_in_as
from tests.support import calendar_replies

FOLDERS = ("LEHC-Processed", "LEHC-Unprocessed")


@pytest.fixture
def invited(factories, db):
    """A published meeting: a core member (CAMHS), a call-on member (police) for one item, and another member."""
    camhs = factories.user(Role.MEMBER, seat="CAMHS", name="Siân Ó Briain", email="sian.obriain@example.org")
    police = factories.user(Role.MEMBER, kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")
    stranger = factories.user(Role.MEMBER, locality="EAS", seat="CAMHS")
    meeting = factories.meeting("DUR")
    factories.item(meeting, reference="DUR-2026-0001", title="Smith family: attendance worries")
    item = factories.item(meeting, reference="DUR-2026-0002", title="Jones family", call_on=[police])
    services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    return meeting, item, camhs, police, stranger


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.uid}@{current_app.config['CALENDAR_DOMAIN']}"


def item_uid(item) -> str:
    return f"item-{item.uid}@{current_app.config['CALENDAR_DOMAIN']}"


def reply(client, event, user, partstat: str = "ACCEPTED", **overrides) -> bytes:
    """A reply written by `client` (calendar_replies.outlook, .google, .thunderbird) from `user` to the version of a
    meeting or a call-on slot LEHC last sent; `overrides` change any part (a stale sequence, another sender)."""
    meeting = event if isinstance(event, Meeting) else event.meeting
    parts = {
        "uid": meeting_uid(event) if isinstance(event, Meeting) else item_uid(event),
        "sequence": event.sequence,
        "name": user.name,
        "address": user.email,
        "starts_at": meeting.starts_at,
    }
    return client(**{**parts, **overrides}, partstat=partstat)


def read(imap_server, **overrides):
    return replies.read_replies({**current_app.config, **imap_server.config(**overrides)})


def malformed(address: str) -> bytes:
    message = EmailMessage()
    message["From"], message["Subject"] = address, "Accepted: Durham LEHC"
    message.set_content("Accepted")
    broken = "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nATTENDEE;PARTSTAT=ACCEPTED;mailto\r\n"
    message.add_alternative(broken.encode(), maintype="text", subtype="calendar", params={"method": "REPLY"})
    return bytes(message)


def answer_of(db, meeting, user) -> MeetingResponse | None:
    db.session.expire_all()
    return db.session.scalar(
        select(MeetingResponse).where(MeetingResponse.meeting_id == meeting.id, MeetingResponse.user_id == user.id)
    )


def test_an_outlook_accept_read_from_imap_makes_the_core_member_attending(app, db, invited, imap_server):
    meeting, _, camhs, _, _ = invited
    assert answer_of(db, meeting, camhs) is None
    imap_server.deliver(
        reply(
            calendar_replies.outlook,
            meeting,
            camhs,
            address=camhs.email.upper(),  # Exchange may write the address in capitals
            comment="I’ll be there, a few minutes late",
        )
    )
    report = read(imap_server)
    assert (report.applied, report.unprocessed, report.error) == (1, 0, "")
    response = answer_of(db, meeting, camhs)
    assert response.response is ResponseKind.ACCEPTED and response.source is ResponseSource.CALENDAR
    assert response.note == "I’ll be there, a few minutes late"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calendar_reply"))
    assert (event.user_id, event.object_id, event.detail) == (camhs.id, meeting.id, "accepted")
    # moved out of the inbox: a second run applies nothing
    assert (imap_server.count("INBOX"), imap_server.count("LEHC-Processed")) == (0, 1)
    assert read(imap_server).applied == 0

    # the coordinator sees it on the meeting page, with the comment
    page = sign_in_as(app.test_client(), meeting.organiser).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Attending" in page and "(calendar reply)" in page and "a few minutes late" in page


def test_a_google_decline_is_apologies_with_its_note(app, db, invited, imap_server):
    meeting, _, camhs, _, _ = invited
    services.record_response(meeting, camhs, ResponseKind.ACCEPTED)  # said yes on LEHC first, then changed their mind
    db.session.commit()
    imap_server.deliver(reply(calendar_replies.google, meeting, camhs, "DECLINED", comment="Clinic that morning"))
    assert read(imap_server).applied == 1
    response = answer_of(db, meeting, camhs)
    assert (response.response, response.note) == (ResponseKind.APOLOGIES, "Clinic that morning")


def test_a_thunderbird_tentative_for_a_call_on_slot(app, db, invited, imap_server):
    meeting, item, _, police, _ = invited
    imap_server.deliver(reply(calendar_replies.thunderbird, item, police, "TENTATIVE"))
    assert read(imap_server).applied == 1
    assert answer_of(db, meeting, police).response is ResponseKind.TENTATIVE

    # a core seat whose member is only tentative is not covered yet
    camhs = invited[2]
    services.record_response(meeting, camhs, ResponseKind.TENTATIVE)
    db.session.commit()
    seat = next(s for s in services.expected_attendance(meeting) if s.seat_name == "CAMHS")
    assert seat.status == "awaiting"


def test_spoofed_stale_and_uninvited_replies_change_nothing(app, db, invited, imap_server, caplog):
    meeting, item, camhs, police, stranger = invited
    old_sequence = meeting.sequence
    local = meeting.starts_at
    services.reschedule(
        meeting, date.today() + timedelta(days=15), time(10, 0), 120, venue="Hub", online_link="", by=meeting.organiser
    )
    db.session.commit()
    assert meeting.sequence > old_sequence
    bad = {
        "spoofed sender": reply(
            calendar_replies.outlook, meeting, camhs, starts_at=local, sender="attacker@example.net"
        ),
        "stale sequence": reply(calendar_replies.google, meeting, camhs, starts_at=local, sequence=old_sequence),
        "a call-on member answering the whole meeting": reply(
            calendar_replies.thunderbird, meeting, police, starts_at=local
        ),
        "another locality's member": reply(calendar_replies.outlook, meeting, stranger, starts_at=local),
        "an unknown event": reply(
            calendar_replies.outlook,
            meeting,
            camhs,
            starts_at=local,
            uid=f"meeting-{'0' * 32}@{current_app.config['CALENDAR_DOMAIN']}",
            sequence=0,
        ),
        "another service's event": reply(
            calendar_replies.google,
            meeting,
            camhs,
            starts_at=local,
            uid=f"meeting-{meeting.uid}@elsewhere.example",
            sequence=9,
        ),
        "a malformed calendar": malformed(camhs.email),
        "a plain e-mail": b"From: Test <" + camhs.email.encode() + b">\r\nSubject: Re: Invitation\r\n\r\nYes\r\n",
    }
    for raw in bad.values():
        imap_server.deliver(raw)
    with caplog.at_level(logging.WARNING, logger="lehc.meetings.replies"):
        report = read(imap_server)
    assert (report.applied, report.unprocessed) == (0, len(bad)), report.reasons
    for user in (camhs, police, stranger):
        assert answer_of(db, meeting, user) is None
    assert (imap_server.count("INBOX"), imap_server.count("LEHC-Unprocessed")) == (0, len(bad))
    assert "the sender is not the attendee who answered" in report.reasons
    assert any(reason.startswith("a reply to an older version") for reason in report.reasons)
    assert report.reasons.count("the attendee was not invited to this event") == 2
    assert {"a calendar that cannot be read", "no calendar in the message"} <= set(report.reasons)
    # logged by reason: never a name, an address or anything about a family
    logged = caplog.text
    assert "left unprocessed" in logged
    for detail in (camhs.name, camhs.email, police.email, "attacker", "Smith", "Jones", "Siân"):
        assert detail not in logged


def test_an_oversized_message_is_left_unread(app, db, invited, imap_server):
    meeting, _, camhs, _, _ = invited
    imap_server.deliver(reply(calendar_replies.outlook, meeting, camhs, comment="x" * 5000))
    report = read(imap_server, IMAP_MAX_BYTES=4000)
    assert (report.applied, report.reasons) == (0, ["larger than IMAP_MAX_BYTES"])
    assert answer_of(db, meeting, camhs) is None


def test_a_reply_after_the_meeting_started_or_was_cancelled_changes_nothing(app, db, invited, imap_server):
    meeting, _, camhs, _, _ = invited
    services.cancel(meeting, "Room unavailable", meeting.organiser)
    db.session.commit()
    imap_server.deliver(reply(calendar_replies.google, meeting, camhs))
    assert read(imap_server).reasons == ["the meeting's invitations are not out, or it is cancelled or has started"]
    assert answer_of(db, meeting, camhs) is None


def test_without_imap_settings_nothing_is_read(app, db):
    report = replies.read_replies({**current_app.config, "IMAP_HOST": ""})
    assert report.error.startswith("IMAP is not configured") and report.applied == 0


def test_a_wrong_password_is_reported_not_raised(app, db, imap_server):
    report = read(imap_server, IMAP_PASSWORD="wrong")
    assert report.error.startswith("cannot connect to the IMAP server")


def test_the_same_reply_read_twice_is_applied_once(app, db, invited, imap_server):
    """A run that stopped after saving a reply but before moving it reads it again: nothing changes twice."""
    meeting, _, camhs, _, _ = invited
    raw = reply(calendar_replies.outlook, meeting, camhs)
    imap_server.deliver(raw)
    imap_server.deliver(raw)  # the same message (same Message-ID) still in the folder
    report = read(imap_server)
    assert (report.applied, report.unprocessed) == (1, 0)
    assert imap_server.count("LEHC-Processed") == 2
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "calendar_reply")).all()
    assert len(events) == 1


def test_a_reply_older_than_the_answer_given_on_lehc_since_changes_nothing(app, db, invited, imap_server):
    meeting, _, camhs, _, _ = invited
    raw = reply(calendar_replies.google, meeting, camhs, dtstamp="20200101T090000Z")  # answered long ago
    services.record_response(meeting, camhs, ResponseKind.APOLOGIES)
    db.session.commit()
    imap_server.deliver(raw)
    assert read(imap_server).reasons == ["older than the answer the member has given since"]
    assert answer_of(db, meeting, camhs).response is ResponseKind.APOLOGIES


def test_a_reply_before_the_invitations_went_out_changes_nothing(app, db, factories, imap_server):
    camhs = factories.user(Role.MEMBER, seat="CAMHS")
    meeting = factories.meeting("DUR")  # agenda not published: no invitation exists
    imap_server.deliver(reply(calendar_replies.thunderbird, meeting, camhs))
    assert read(imap_server).applied == 0
    assert answer_of(db, meeting, camhs) is None


def test_plain_imap_is_refused_for_a_server_that_is_not_this_machine(app, db):
    config = {**current_app.config, "IMAP_HOST": "imap.example.org", "IMAP_USE_SSL": False}
    report = replies.read_replies({**config, "IMAP_USERNAME": "lehc", "IMAP_PASSWORD": "x"})
    assert "may be off only for a server on this machine" in report.error
