"""A real CalDAV server (Radicale, on loopback) stores every invitation and the feed as a calendar client would, and
gives them back with the same UID, SEQUENCE, times and organiser: what Outlook or Thunderbird keep is what we sent."""

import base64
import http.client
import subprocess
import sys
import time
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lehc.meetings import services
from lehc.models import MembershipKind, OutboxMessage, Role
from tests.conftest import sign_in_as
from tests.support.postgres import free_port

AUTH = "Basic " + base64.b64encode(b"lehc:any").decode()  # Radicale's auth "none" takes any password


@pytest.fixture
def radicale(tmp_path: Path):
    port = free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = none\n[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {tmp_path / 'collections'}\n[logging]\nlevel = warning\n"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("OPTIONS", "/")
            break
        except OSError:
            assert time.monotonic() < deadline, "Radicale did not start"
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=10)


def request(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        method, path, body=body, headers={"Content-Type": "text/calendar; charset=utf-8", **(headers or {})}
    )
    response = connection.getresponse()
    return response.status, response.read()


def calendar_of(number: int) -> str:
    return f"/lehc/calendar-{number}/"


def stored_form(ics: bytes) -> bytes:
    """A calendar client drops the iTIP METHOD when it files an invitation in a calendar (RFC 4791 5.3.2.1)."""
    calendar = Calendar.from_ical(ics)
    calendar.pop("METHOD", None)
    return calendar.to_ical()


def test_invitations_and_the_feed_round_trip_through_caldav(app, db, factories, radicale):
    police = factories.user(Role.MEMBER, kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team")
    camhs = factories.user(Role.MEMBER, seat="CAMHS", name="Siân Ó Briain")
    meeting = factories.meeting("DUR")
    factories.item(meeting, reference="DUR-2026-0001", title="Smith family")
    factories.item(meeting, reference="DUR-2026-0002", title="Jones family", call_on=[police])
    services.publish_agenda(meeting, meeting.organiser)
    db.session.commit()
    assert request(radicale, "MKCOL", "/lehc/")[0] in (201, 405)
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.calendar.is_not(None))).all()
    feed = sign_in_as(app.test_client(), camhs).get(f"/meetings/{meeting.id}/calendar.ics").data
    objects = [message.calendar.encode() for message in sent] + [feed]
    by_uid = {}
    for ics in objects:
        [event] = Calendar.from_ical(ics).walk("VEVENT")
        by_uid[str(event["UID"])] = event
    assert len(by_uid) == 2  # the meeting (every core invitation and the feed) and the police slot
    for number, ics in enumerate(objects):  # each in its own calendar, as each member's calendar holds its copy
        assert (
            request(radicale, "MKCALENDAR", calendar_of(number), headers={"Content-Type": "application/xml"})[0] == 201
        )
        status, body = request(radicale, "PUT", f"{calendar_of(number)}invite.ics", stored_form(ics))
        assert status in (201, 204), body
    for number in range(len(objects)):
        status, body = request(radicale, "GET", f"{calendar_of(number)}invite.ics")
        assert status == 200
        [kept] = Calendar.from_ical(body).walk("VEVENT")
        original = by_uid[str(kept["UID"])]
        assert kept["SEQUENCE"] == original["SEQUENCE"]
        assert kept["DTSTART"].dt == original["DTSTART"].dt and kept["DTEND"].dt == original["DTEND"].dt
        assert str(kept["ORGANIZER"]) == "mailto:lehc@example.org"
        assert "Smith" not in body.decode() and "Jones" not in body.decode()
    # a name with accents survives the round trip (the core members' invitations list CAMHS's member)
    stored = [request(radicale, "GET", f"{calendar_of(n)}invite.ics")[1].decode() for n in range(len(objects))]
    assert any("Siân Ó Briain" in text for text in stored)
