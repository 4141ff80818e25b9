"""Calendar replies: when a member presses Accept, Decline or Tentative in Outlook, Google Calendar or Thunderbird,
their calendar e-mails an iTIP REPLY (RFC 5546) to the invitation's ORGANIZER, the service mailbox. `flask run-jobs`
reads that mailbox over IMAP and applies each reply that is sound; anything else is moved aside for a person to
look at, logged by reason only (never a name or an address), and changes nothing.

A reply is applied only when it is about an event LEHC sent (its UID), is not older than the latest version sent
(its SEQUENCE), names exactly one attendee who was invited to that meeting or slot, and comes From that attendee.
"""

from __future__ import annotations

import email
import hashlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.policy import default as default_policy

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from lehc.audit import audit
from lehc.extensions import db
from lehc.meetings.services.invites import invitees, record_response, response_of
from lehc.models import AgendaItem, CalendarReply, Meeting, ResponseKind, ResponseSource, User
from lehc.models.people import normalise_email, utcnow
from lehc.text import clean_text

logger = logging.getLogger(__name__)

ANSWERS = {"ACCEPTED": ResponseKind.ACCEPTED, "DECLINED": ResponseKind.APOLOGIES, "TENTATIVE": ResponseKind.TENTATIVE}
EVENT_UID = re.compile(r"^(meeting|item)-([0-9a-f]{1,64})@(.+)$")
SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
NOTE_LENGTH = 1000


class AlreadyApplied(Exception):  # noqa: N818 - not an error: a run that stopped before moving it read it again
    """This very message was applied before."""


class Unprocessable(Exception):
    """Why a message was left unprocessed: a reason fit for a log (no names, no addresses, no family detail)."""


@dataclass(frozen=True)
class Reply:
    """What a sound reply says: who answered what about which meeting."""

    meeting: Meeting
    user: User
    answer: ResponseKind
    note: str
    key: str  # the message's identity (lehc.models.CalendarReply): applied once, however often it is read


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
    """The one From address, read with the standard library's strict header parser; a header it had to repair
    (a defect) is refused rather than guessed at."""
    headers = message.get_all("From", [])
    if len(headers) != 1 or headers[0].defects:
        raise Unprocessable("not exactly one well-formed sender")
    addresses = headers[0].addresses
    if len(addresses) != 1 or not addresses[0].username or not addresses[0].domain:
        raise Unprocessable("not exactly one well-formed sender")
    return normalise_email(addresses[0].addr_spec)


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


def read_reply(raw: bytes, *, domain: str, now: datetime | None = None) -> Reply:  # noqa: C901 - one check a line
    """Check one e-mail as a calendar reply; raise Unprocessable (with the reason) if it is not a sound one."""
    message = email.message_from_bytes(raw, policy=default_policy)
    key = _key(message, raw)
    if db.session.scalar(select(CalendarReply.id).where(CalendarReply.message_key == key)) is not None:
        raise AlreadyApplied
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
    if not meeting.is_published or meeting.starts_at <= (now or utcnow()):
        raise Unprocessable("the meeting's invitations are not out, or it is cancelled or has started")
    user = _invited(meeting, item, address)
    stamped_at = _stamp(event)
    answered = response_of(meeting, user)
    if answered is not None and stamped_at is not None and stamped_at < answered.updated_at.replace(microsecond=0):
        raise Unprocessable("older than the answer the member has given since")
    comment = event.get("COMMENT") or attendee.params.get("X-RESPONSE-COMMENT", "")  # Google puts it on the attendee
    note = clean_text(str(comment if not isinstance(comment, list) else comment[0])).strip()[:NOTE_LENGTH]
    return Reply(meeting, user, answer, note, key=key)


def _stamp(event: Event) -> datetime | None:
    """The reply's DTSTAMP in UTC, if it has a usable one."""
    value = getattr(event.get("DTSTAMP"), "dt", None)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return None


def _key(message: Message, raw: bytes) -> str:
    """A message's identity: its Message-ID, or its bytes when it has none (hashed either way)."""
    identity = str(message.get("Message-ID", "")).strip().encode() or raw
    return hashlib.sha256(identity).hexdigest()


def apply_reply(reply: Reply) -> None:
    """Set the member's answer as if given on LEHC's page, marked as from their calendar, with their comment, and
    remember the message (its key is unique: applied once, whoever reads it)."""
    db.session.add(CalendarReply(message_key=reply.key, user_id=reply.user.id, meeting_id=reply.meeting.id))
    record_response(reply.meeting, reply.user, reply.answer, source=ResponseSource.CALENDAR, note=reply.note)
    audit("calendar_reply", "meeting", reply.meeting.id, detail=reply.answer.value, by=reply.user.id)


@dataclass
class ReplyReport:
    applied: int = 0
    unprocessed: int = 0
    error: str = ""
    reasons: list[str] = field(default_factory=list)


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _connect(config: dict) -> imaplib.IMAP4:
    host, port, timeout = config["IMAP_HOST"], config["IMAP_PORT"], config["IMAP_TIMEOUT"]
    if config["IMAP_USE_SSL"]:
        imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=timeout)
    elif host in LOOPBACK:
        imap = imaplib.IMAP4(host, port, timeout=timeout)
    else:  # the password and the replies would cross the network in clear
        raise imaplib.IMAP4.error("IMAP_USE_SSL may be off only for a server on this machine (127.0.0.1)")
    imap.login(config["IMAP_USERNAME"], config["IMAP_PASSWORD"])
    # what the server offers once signed in (Dovecot adds MOVE and UIDPLUS only then)
    status, data = imap.capability()
    if status == "OK" and data and data[-1]:
        imap.capabilities = tuple(data[-1].decode("ascii", "replace").upper().split())
    return imap


def _mailbox(name: str) -> str:
    """A folder name as an IMAP quoted string (imaplib sends arguments as they are)."""
    if not name.isascii():
        raise imaplib.IMAP4.error("IMAP folder names must be plain ASCII")
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _move(imap: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    """Out of the folder being read, so the next run does not see it again (MOVE where the server has it, else
    COPY, then delete and expunge this one message)."""
    if "MOVE" in imap.capabilities and imap.uid("MOVE", uid, _mailbox(folder))[0] == "OK":
        return
    if imap.uid("COPY", uid, _mailbox(folder))[0] != "OK":
        raise imaplib.IMAP4.error(f"cannot copy message to {folder}")
    imap.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
    if "UIDPLUS" in imap.capabilities:
        imap.uid("EXPUNGE", uid)
    else:
        imap.expunge()


def _size(imap: imaplib.IMAP4, uid: bytes) -> int | None:
    status, data = imap.uid("FETCH", uid, "(RFC822.SIZE)")
    found = SIZE.search(data[0] if status == "OK" and data and isinstance(data[0], bytes) else b"")
    return int(found.group(1)) if found else None


def _body(imap: imaplib.IMAP4, uid: bytes) -> bytes | None:
    status, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
    return next((part[1] for part in data if isinstance(part, tuple)), None) if status == "OK" else None


class NotNow(Exception):
    """The message could not be fetched or saved this time: it stays where it is for the next run."""


def _read(imap: imaplib.IMAP4, uid: bytes, config: dict, now: datetime | None) -> Reply:
    size = _size(imap, uid)
    if size is None:
        raise NotNow("its size could not be read")
    if size > config["IMAP_MAX_BYTES"]:
        raise Unprocessable("larger than IMAP_MAX_BYTES")
    raw = _body(imap, uid)
    if raw is None:
        raise NotNow("it could not be fetched")
    try:
        return read_reply(raw, domain=config["CALENDAR_DOMAIN"], now=now)
    except (AlreadyApplied, Unprocessable, SQLAlchemyError):
        raise
    except Exception as error:  # noqa: BLE001 - whatever a stranger's message holds, it must not stop the run
        raise Unprocessable(f"a message that cannot be read ({type(error).__name__})") from error


def _handle(imap: imaplib.IMAP4, uid: bytes, config: dict, now: datetime | None, report: ReplyReport) -> None:
    """Apply one message and move it to the processed folder, or move it aside unapplied. A database failure
    leaves it where it is, to be tried again at the next run."""
    try:
        reply = _read(imap, uid, config, now)
    except NotNow as reason:
        logger.warning("calendar reply (IMAP UID %s) left for the next run: %s", uid.decode(), reason)
        return
    except AlreadyApplied:
        _move(imap, uid, config["IMAP_PROCESSED_FOLDER"])
        return
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
    except (OSError, imaplib.IMAP4.error, UnicodeError) as error:
        report.error = f"cannot connect to the IMAP server: {error}"
        return report
    try:
        for folder in (config["IMAP_PROCESSED_FOLDER"], config["IMAP_UNPROCESSED_FOLDER"]):
            imap.create(_mailbox(folder))  # NO when it exists already: fine
            if imap.status(_mailbox(folder), "(MESSAGES)")[0] != "OK":  # read mail would have nowhere to go
                report.error = f"the IMAP folder {folder} does not exist and cannot be created"
                return report
        status, _ = imap.select(_mailbox(config["IMAP_FOLDER"]))
        if status != "OK":
            report.error = f"cannot open the folder {config['IMAP_FOLDER']}"
            return report
        _, found = imap.uid("SEARCH", None, "UNDELETED")
        for uid in (found[0] or b"").split():
            _handle(imap, uid, config, now, report)
    except (OSError, imaplib.IMAP4.error, UnicodeError) as error:
        report.error = f"the IMAP server failed: {error}"
    finally:
        try:
            imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return report
