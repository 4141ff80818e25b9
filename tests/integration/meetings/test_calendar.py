"""Every calendar object parsed back with icalendar and checked field by field."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lehc.dates import LONDON
from lehc.meetings import services
from lehc.models import MembershipKind, OutboxMessage, Role
from tests.conftest import sign_in_as

FAMILY_DETAILS = ["Smith", "Jones", "attendance worries", "exploitation risk"]


@pytest.fixture
def meeting_with_call_on(factories, db):
    police = factories.user(Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")
    camhs = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS")
    meeting = factories.meeting("DUR", minutes=120)
    factories.item(meeting, reference="DUR-2026-0001", title="Smith family: attendance worries", minutes=30)
    factories.item(meeting, reference="DUR-2026-0002", title="Jones family: exploitation risk", call_on=[police])
    return meeting, police, camhs


def messages_for(db, email) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id))
    )


def only_event(ics: str | bytes):
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def attendees_of(event) -> list:
    """An event's ATTENDEE lines (icalendar gives one line as itself, several as a list)."""
    found = event.get("ATTENDEE", [])
    return found if isinstance(found, list) else [found]


def publish(db, meeting):
    services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()


def test_a_core_members_invite_is_a_request_for_the_whole_meeting(app, db, meeting_with_call_on):
    meeting, police, camhs = meeting_with_call_on
    publish(db, meeting)
    [message] = messages_for(db, camhs.email)
    calendar, event = only_event(message.calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar["PRODID"]) == "-//Durham County Council//LEHC//EN"
    assert event["UID"] == f"meeting-{meeting.uid}@lehc.durham.example"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTAMP"].dt.tzinfo is not None
    start, end = event["DTSTART"], event["DTEND"]
    assert start.params["TZID"] == "Europe/London"
    assert start.dt == meeting.starts_at.astimezone(LONDON)
    assert end.dt - start.dt == timedelta(minutes=120)
    assert str(event["LOCATION"]) == "Durham Family Hub, Room 2, https://teams.example/meet/123"
    assert str(event["URL"]).endswith(f"/meetings/{meeting.id}")
    # the service mailbox organises, so a calendar's Accept comes back to LEHC; the coordinator is named inside
    assert str(event["ORGANIZER"]) == "mailto:lehc@example.org"
    assert event["ORGANIZER"].params["CN"] == "Durham LEHC"
    assert f"Arranged by {meeting.organiser.name} ({meeting.organiser.email})." in str(event["DESCRIPTION"])
    attendees = {str(a): a.params for a in attendees_of(event)}
    assert f"mailto:{camhs.email}" in attendees
    assert f"mailto:{police.email}" not in attendees  # call-on members are not on the whole-meeting invite
    assert all(params["RSVP"] == "TRUE" and params["PARTSTAT"] == "NEEDS-ACTION" for params in attendees.values())
    assert "mailto:lehc@example.org" not in attendees  # the organiser is not asked to reply to itself
    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY" and alarm["TRIGGER"].dt == -timedelta(minutes=15)


def test_a_cancellation_asks_for_no_reply_and_sets_no_reminder(app, db, meeting_with_call_on):
    meeting, police, camhs = meeting_with_call_on
    publish(db, meeting)
    services.cancel(meeting, "Chair unwell", meeting.organiser)
    db.session.commit()
    _, event = only_event(messages_for(db, camhs.email)[-1].calendar)
    attendees = attendees_of(event)
    assert attendees and all("RSVP" not in a.params and "PARTSTAT" not in a.params for a in attendees)
    assert event.walk("VALARM") == []


def test_the_reminder_minutes_come_from_the_configuration(app, db, meeting_with_call_on):
    from flask import current_app

    meeting, police, camhs = meeting_with_call_on
    current_app.config["CALENDAR_ALARM_MINUTES"] = 0  # the test's own app context sends the invites here
    publish(db, meeting)
    _, event = only_event(messages_for(db, camhs.email)[0].calendar)
    assert event.walk("VALARM") == []


def test_the_timezone_has_both_standard_and_daylight_parts(app, db, meeting_with_call_on):
    meeting, _, camhs = meeting_with_call_on
    publish(db, meeting)
    calendar = Calendar.from_ical(messages_for(db, camhs.email)[0].calendar)
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/London"
    assert timezone.walk("STANDARD") and timezone.walk("DAYLIGHT")


def test_a_call_on_members_invite_covers_their_slot_only(app, db, meeting_with_call_on):
    meeting, police, _ = meeting_with_call_on
    publish(db, meeting)
    [message] = messages_for(db, police.email)
    _, event = only_event(message.calendar)
    slot = next(s for s in services.agenda_slots(meeting) if s.item.reference == "DUR-2026-0002")
    # standing items 5 + 10 minutes, then the 30-minute item: the slot starts 45 minutes in, for 20 minutes
    assert event["DTSTART"].dt == (meeting.starts_at + timedelta(minutes=45)).astimezone(LONDON) == slot.starts_at
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=20)
    assert event["UID"] == f"item-{slot.item.uid}@lehc.durham.example"
    assert [str(a) for a in [event["ATTENDEE"]]] == [f"mailto:{police.email}"]
    assert str(event["SUMMARY"]) == "Durham LEHC: Discussion DUR-2026-0002"


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(app, db, meeting_with_call_on):
    meeting, police, camhs = meeting_with_call_on
    publish(db, meeting)
    local = meeting.starts_at.astimezone(LONDON)
    services.reschedule(
        meeting, local.date() + timedelta(days=1), local.time(), 120, venue="Hub", online_link="", by=meeting.organiser
    )
    db.session.commit()
    first, second = (only_event(m.calendar)[1] for m in messages_for(db, camhs.email))
    assert first["UID"] == second["UID"]
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    assert second["DTSTART"].dt - first["DTSTART"].dt == timedelta(days=1)
    slot_first, slot_second = (only_event(m.calendar)[1] for m in messages_for(db, police.email))
    assert slot_first["UID"] == slot_second["UID"] and slot_second["SEQUENCE"] > slot_first["SEQUENCE"]


def test_a_cancellation_has_the_same_uid_a_higher_sequence_and_status_cancelled(app, db, meeting_with_call_on):
    meeting, police, camhs = meeting_with_call_on
    publish(db, meeting)
    services.cancel(meeting, "Chair unwell", meeting.organiser)
    db.session.commit()
    request, cancel = (Calendar.from_ical(m.calendar) for m in messages_for(db, camhs.email))
    assert cancel["METHOD"] == "CANCEL"
    request_event, cancel_event = request.walk("VEVENT")[0], cancel.walk("VEVENT")[0]
    assert cancel_event["UID"] == request_event["UID"]
    assert cancel_event["SEQUENCE"] > request_event["SEQUENCE"]
    assert cancel_event["STATUS"] == "CANCELLED"
    police_cancel = Calendar.from_ical(messages_for(db, police.email)[-1].calendar)
    assert police_cancel["METHOD"] == "CANCEL"
    assert police_cancel.walk("VEVENT")[0]["UID"].startswith("item-")


def test_no_family_detail_reaches_any_invite_subject_or_body(app, db, meeting_with_call_on):
    meeting, _, _ = meeting_with_call_on
    publish(db, meeting)
    services.cancel(meeting, "Room unavailable", meeting.organiser)
    db.session.commit()
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert messages
    for message in messages:
        for text in (message.subject, message.body, message.calendar):
            for detail in FAMILY_DETAILS:
                assert detail.lower() not in text.lower(), (detail, message.subject)


def test_the_downloaded_ics_and_the_feed_are_publish_not_request(app, db, factories, meeting_with_call_on):
    meeting, police, camhs = meeting_with_call_on
    publish(db, meeting)
    client = sign_in_as(app.test_client(), camhs)
    download = client.get(f"/meetings/{meeting.id}/calendar.ics")
    assert download.headers["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    assert (
        "attachment" in download.headers["Content-Disposition"]
        and "Smith" not in download.headers["Content-Disposition"]
    )
    calendar = Calendar.from_ical(download.data)
    assert calendar["METHOD"] == "PUBLISH"
    assert not calendar.walk("VEVENT")[0].get("ATTENDEE")
    for detail in FAMILY_DETAILS:
        assert detail.encode() not in download.data


def test_the_subscription_feed_needs_the_current_token_and_shows_call_on_slots_only(app, db, meeting_with_call_on):
    meeting, police, _ = meeting_with_call_on
    publish(db, meeting)
    client = sign_in_as(app.test_client(), police)
    client.post("/profile/calendar-link")
    db.session.expire_all()
    first_token = db.session.get(type(police), police.id).calendar_token
    assert first_token and len(first_token) >= 40
    anonymous = app.test_client()
    feed = anonymous.get(f"/calendar/{first_token}.ics")
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.data)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Durham LEHC: Discussion DUR-2026-0002"
    assert str(event["ORGANIZER"]) == "mailto:lehc@example.org"  # a feed names its organiser too
    assert "ATTENDEE" not in event and not event.walk("VALARM")

    client.post("/profile/calendar-link")  # regenerate: the old link stops working
    assert anonymous.get(f"/calendar/{first_token}.ics").status_code == 404
    db.session.expire_all()
    assert anonymous.get(f"/calendar/{db.session.get(type(police), police.id).calendar_token}.ics").status_code == 200
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404


def test_the_profile_page_shows_the_webcal_link(app, db, factories):
    user = factories.user()
    client = sign_in_as(app.test_client(), user)
    client.post("/profile/calendar-link")
    page = client.get("/profile").get_data(as_text=True)
    db.session.expire_all()
    token = db.session.get(type(user), user.id).calendar_token
    assert f"webcal://127.0.0.1:5000/calendar/{token}.ics" in page
