"""Calendar replies: when a member presses Accept, Decline or Tentative in Outlook, Google Calendar or Thunderbird,
their calendar e-mails an iTIP REPLY (RFC 5546) to the invitation's ORGANIZER, the service mailbox. `flask run-jobs`
reads that mailbox over IMAP and applies each reply that is sound; anything else is moved aside for a person to
look at, logged by reason only (never a name or an address), and changes nothing.

A reply is applied only when it is about an event LEHC sent (its UID), is not older than the latest version sent
(its SEQUENCE), names exactly one attendee who was invited to that meeting or slot, and comes From that attendee.
"""

from __future__ import annotations

import email
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from email.policy import default as default_policy
from email.utils import getaddresses

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from lehc.audit import audit
from lehc.extensions import db
from lehc.meetings.services.invites import invitees, record_response
from lehc.models import AgendaItem, Meeting, ResponseKind, ResponseSource, User
from lehc.models.people import normalise_email, utcnow
from lehc.text import clean_text

logger = logging.getLogger(__name__)

ANSWERS = {"ACCEPTED": ResponseKind.ACCEPTED, "DECLINED": ResponseKind.APOLOGIES, "TENTATIVE": ResponseKind.TENTATIVE}
EVENT_UID = re.compile(r"^(meeting|item)-([0-9a-f]{1,64})@(.+)$")
SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
NOTE_LENGTH = 1000


class Unprocessable(Exception):
    """Why a message was left unprocessed: a reason fit for a log (no names, no addresses, no family detail)."""


@dataclass(frozen=True)
class Reply:
    """What a sound reply says: who answered what about which meeting."""

    meeting: Meeting
    user: User
    answer: ResponseKind
    note: str


def _calendar_part(message: Message) -> bytes:
    """The iCalendar object of a reply: the text/calendar part (Outlook, Google, Thunderbird), else an .ics file."""
    attached = None
    for part in message.walk():
        if part.is_multipart():
            continue
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True) or b""
        name = (part.get_filename() or "").lower()
        if attached is None and (part.get_content_type() == "application/ics" or name.endswith(".ics")):
            attached = part.get_payload(decode=True) or b""
    if attached is None:
        raise Unprocessable("no calendar in the message")
    return attached


def _sender(message: Message) -> str:
    senders = getaddresses(message.get_all("From", []))
    if len(senders) != 1 or "@" not in senders[0][1]:
        raise Unprocessable("not exactly one sender")
    return normalise_email(senders[0][1])


def _address(value: object) -> str:
    text = str(value)
    return normalise_email(text[7:] if text.lower().startswith("mailto:") else text)


def _event_target(uid: str, domain: str) -> tuple[Meeting, AgendaItem | None, int]:
    """The meeting (and item, for a call-on slot) a UID names, and the SEQUENCE last sent for it."""
    found = EVENT_UID.match(uid.strip())
    if found is None or found.group(3) != domain:
        raise Unprocessable("an event LEHC did not send")
    kind, key = found.group(1), found.group(2)
    if kind == "meeting":
        meeting = db.session.scalar(select(Meeting).where(Meeting.uid == key))
        if meeting is None:
            raise Unprocessable("an event LEHC did not send")
        return meeting, None, meeting.sequence
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.uid == key))
    if item is None:
        raise Unprocessable("an event LEHC did not send")
    return item.meeting, item, item.sequence


def _invited(meeting: Meeting, item: AgendaItem | None, address: str) -> User:
    """The active user with this address who was invited to the meeting (a core member) or to the item's slot."""
    for invitee in invitees(meeting):
        if invitee.user.email != address or not invitee.user.active:
            continue
        if (item is None and invitee.whole_meeting) or (item is not None and item in invitee.items):
            return invitee.user
    raise Unprocessable("the attendee was not invited to this event")


def read_reply(raw: bytes, *, domain: str, now: datetime | None = None) -> Reply:
    """Check one e-mail as a calendar reply; raise Unprocessable (with the reason) if it is not a sound one."""
    message = email.message_from_bytes(raw, policy=default_policy)
    sender = _sender(message)
    try:
        calendar = Calendar.from_ical(_calendar_part(message))
    except (ValueError, IndexError, KeyError, TypeError) as error:
        raise Unprocessable("a calendar that cannot be read") from error
    if str(calendar.get("METHOD", "")).upper() != "REPLY":
        raise Unprocessable("not a calendar reply (METHOD is not REPLY)")
    events = calendar.walk("VEVENT")
    if len(events) != 1:
        raise Unprocessable("not exactly one event in the reply")
    [event] = events
    meeting, item, latest = _event_target(str(event.get("UID", "")), domain)
    try:
        sequence = int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError) as error:
        raise Unprocessable("a SEQUENCE that is not a number") from error
    if sequence < latest:
        raise Unprocessable(f"a reply to an older version of the event (SEQUENCE {sequence}, latest {latest})")
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    if len(attendees) != 1:
        raise Unprocessable("not exactly one attendee in the reply")
    [attendee] = attendees
    address = _address(attendee)
    if address != sender:
        raise Unprocessable("the sender is not the attendee who answered")
    answer = ANSWERS.get(str(attendee.params.get("PARTSTAT", "")).upper())
    if answer is None:
        raise Unprocessable("an answer LEHC does not take (only ACCEPTED, DECLINED or TENTATIVE)")
    if meeting.is_cancelled or meeting.starts_at <= (now or utcnow()):
        raise Unprocessable("the meeting is cancelled or has started")
    user = _invited(meeting, item, address)
    comment = event.get("COMMENT") or attendee.params.get("X-RESPONSE-COMMENT", "")  # Google puts it on the attendee
    note = clean_text(str(comment if not isinstance(comment, list) else comment[0])).strip()[:NOTE_LENGTH]
    return Reply(meeting=meeting, user=user, answer=answer, note=note)


def apply_reply(reply: Reply) -> None:
    """Set the member's answer as if given on LEHC's page, marked as from their calendar, with their comment."""
    record_response(reply.meeting, reply.user, reply.answer, source=ResponseSource.CALENDAR, note=reply.note)
    audit("calendar_reply", "meeting", reply.meeting.id, detail=reply.answer.value, by=reply.user.id)


@dataclass
class ReplyReport:
    applied: int = 0
    unprocessed: int = 0
    error: str = ""
    reasons: list[str] = field(default_factory=list)


def _connect(config: dict) -> imaplib.IMAP4:
    host, port, timeout = config["IMAP_HOST"], config["IMAP_PORT"], config["IMAP_TIMEOUT"]
    if config["IMAP_USE_SSL"]:
        imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=timeout)
    else:
        imap = imaplib.IMAP4(host, port, timeout=timeout)
    imap.login(config["IMAP_USERNAME"], config["IMAP_PASSWORD"])
    return imap


def _move(imap: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    """Out of the folder being read, so the next run does not apply it twice (MOVE where the server has it)."""
    if "MOVE" in imap.capabilities:
        status, _ = imap.uid("MOVE", uid, folder)
        if status == "OK":
            return
    status, _ = imap.uid("COPY", uid, folder)
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot copy message to {folder}")
    imap.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
    imap.expunge()


def _size(imap: imaplib.IMAP4, uid: bytes) -> int:
    _, data = imap.uid("FETCH", uid, "(RFC822.SIZE)")
    found = SIZE.search(data[0] if data and isinstance(data[0], bytes) else b"")
    return int(found.group(1)) if found else 0


def _body(imap: imaplib.IMAP4, uid: bytes) -> bytes:
    _, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
    return next((part[1] for part in data if isinstance(part, tuple)), b"")


def _read(imap: imaplib.IMAP4, uid: bytes, config: dict, now: datetime | None) -> Reply:
    if _size(imap, uid) > config["IMAP_MAX_BYTES"]:
        raise Unprocessable("larger than IMAP_MAX_BYTES")
    raw = _body(imap, uid)
    try:
        return read_reply(raw, domain=config["CALENDAR_DOMAIN"], now=now)
    except (Unprocessable, SQLAlchemyError):
        raise
    except Exception as error:  # noqa: BLE001 - whatever a stranger's message holds, it must not stop the run
        raise Unprocessable(f"a message that cannot be read ({type(error).__name__})") from error


def _handle(imap: imaplib.IMAP4, uid: bytes, config: dict, now: datetime | None, report: ReplyReport) -> None:
    """Apply one message and move it to the processed folder, or move it aside unapplied. A database failure
    leaves it where it is, to be tried again at the next run."""
    try:
        reply = _read(imap, uid, config, now)
    except Unprocessable as reason:
        db.session.rollback()
        logger.warning("calendar reply left unprocessed (IMAP UID %s): %s", uid.decode(), reason)
        report.unprocessed += 1
        report.reasons.append(str(reason))
        _move(imap, uid, config["IMAP_UNPROCESSED_FOLDER"])
        return
    try:
        apply_reply(reply)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        logger.error(
            "calendar reply (IMAP UID %s) not applied, tried again next run: %s", uid.decode(), type(error).__name__
        )
        report.error = "a reply could not be saved; it stays in the folder for the next run"
        return
    report.applied += 1
    _move(imap, uid, config["IMAP_PROCESSED_FOLDER"])


def read_replies(config: dict, *, now: datetime | None = None) -> ReplyReport:
    """Read every message in IMAP_FOLDER once: apply sound replies (committed one by one) and move each message to
    the processed or the unprocessed folder."""
    report = ReplyReport()
    if not config["IMAP_HOST"]:
        report.error = "IMAP is not configured (set IMAP_HOST): calendar replies are not read"
        return report
    try:
        imap = _connect(config)
    except (OSError, imaplib.IMAP4.error) as error:
        report.error = f"cannot connect to the IMAP server: {error}"
        return report
    try:
        for folder in (config["IMAP_PROCESSED_FOLDER"], config["IMAP_UNPROCESSED_FOLDER"]):
            imap.create(folder)  # NO when it exists already: fine
        status, _ = imap.select(config["IMAP_FOLDER"])
        if status != "OK":
            report.error = f"cannot open the folder {config['IMAP_FOLDER']}"
            return report
        _, found = imap.uid("SEARCH", None, "UNDELETED")
        for uid in (found[0] or b"").split():
            _handle(imap, uid, config, now, report)
    except (OSError, imaplib.IMAP4.error) as error:
        report.error = f"the IMAP server failed: {error}"
    finally:
        try:
            imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return report
