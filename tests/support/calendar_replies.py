"""Calendar replies written the way the three major clients write them (iTIP REPLY, RFC 5546), for the IMAP tests.

Built from each client's documented format and from replies they send:
- Outlook / Exchange ([MS-OXCICAL]): multipart/alternative of text/plain, text/html and
  `text/calendar; charset="utf-8"; method=REPLY` in base64; PRODID "Microsoft Exchange Server 2010"; times in a
  Windows zone ("GMT Standard Time"); a COMMENT when the member edited the response; X-MICROSOFT-CDO-* lines.
- Google Calendar: multipart/mixed of a multipart/alternative (text/plain, text/html, `text/calendar;
  charset="UTF-8"; method=REPLY`) and `application/ics` "invite.ics"; UTC times; the attendee's note in the
  ATTENDEE parameter X-RESPONSE-COMMENT; the whole event repeated.
- Thunderbird: multipart/mixed of text/plain and `text/calendar; method=REPLY; charset=UTF-8` plus an
  `application/ics` attachment; PRODID "Mozilla.org"; a VTIMEZONE for Europe/London; COMMENT for a note.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

ORGANISER = "lehc@example.org"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _crlf(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _headers(message: EmailMessage, sender: tuple[str, str], subject: str) -> None:
    message["From"] = formataddr(sender)
    message["To"] = formataddr(("Durham LEHC", ORGANISER))
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = f"<{datetime.now(UTC).timestamp()}.{sender[1]}>"


VERB = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentative"}


def outlook(
    *,
    uid: str,
    sequence: int,
    name: str,
    address: str,
    partstat: str,
    starts_at: datetime,
    comment: str = "",
    sender: str | None = None,
    dtstamp: str | None = None,
) -> bytes:
    """Outlook's reply (Exchange writes the calendar part in base64, times in its Windows zone)."""
    lines = [
        "BEGIN:VCALENDAR",
        "METHOD:REPLY",
        "PRODID:Microsoft Exchange Server 2010",
        "VERSION:2.0",
        "BEGIN:VTIMEZONE",
        "TZID:GMT Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16010101T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010101T010000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        f"ATTENDEE;PARTSTAT={partstat};CN={name}:mailto:{address}",
        *([f"COMMENT;LANGUAGE=en-GB:{comment}"] if comment else []),
        f"SUMMARY;LANGUAGE=en-GB:{VERB[partstat]}: Durham Locality Early Help Conversation",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(starts_at + timedelta(hours=2))}",
        f"UID:{uid}",
        "CLASS:PUBLIC",
        "PRIORITY:5",
        f"DTSTAMP:{dtstamp or _stamp()}",
        "TRANSP:OPAQUE",
        "STATUS:CONFIRMED",
        f"SEQUENCE:{sequence}",
        "LOCATION;LANGUAGE=en-GB:Durham Family Hub",
        f"X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}",
        f"X-MICROSOFT-CDO-REPLYTIME:{_stamp()}",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    message = EmailMessage()
    _headers(message, (name, sender or address), f"{VERB[partstat]}: Durham LEHC")
    message["Thread-Topic"] = "Durham LEHC"
    message["X-MS-Has-Attach"] = ""
    message.set_content(comment or f"{VERB[partstat]}", charset="utf-8")
    message.add_alternative(f"<html><body><p>{comment}</p></body></html>", subtype="html", charset="utf-8")
    calendar = EmailMessage()
    calendar.set_payload(base64.encodebytes(_crlf(lines)).decode("ascii"))
    calendar["Content-Type"] = 'text/calendar; charset="utf-8"; method=REPLY'
    calendar["Content-Transfer-Encoding"] = "base64"
    message.attach(calendar)
    return bytes(message)


def google(
    *,
    uid: str,
    sequence: int,
    name: str,
    address: str,
    partstat: str,
    starts_at: datetime,
    comment: str = "",
    sender: str | None = None,
    dtstamp: str | None = None,
) -> bytes:
    """Google Calendar's reply: the note in X-RESPONSE-COMMENT, the calendar inline and again as invite.ics."""
    note = f';X-RESPONSE-COMMENT="{comment}"' if comment else ""
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REPLY",
        "BEGIN:VEVENT",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(starts_at + timedelta(hours=2))}",
        f"DTSTAMP:{dtstamp or _stamp()}",
        f"ORGANIZER;CN=Durham LEHC:mailto:{ORGANISER}",
        f"UID:{uid}",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
        f"PARTSTAT={partstat};CN={name};X-NUM-GUESTS=0{note}:mailto:{address}",
        f"CREATED:{_stamp()}",
        "DESCRIPTION:Durham Locality Early Help Conversation",
        f"LAST-MODIFIED:{_stamp()}",
        "LOCATION:Durham Family Hub",
        f"SEQUENCE:{sequence}",
        "STATUS:CONFIRMED",
        "SUMMARY:Durham Locality Early Help Conversation",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    ics = _crlf(lines)
    message = EmailMessage()
    _headers(message, (name, sender or address), f"{VERB[partstat]}: Durham LEHC @ Mon 7 Dec 2026")
    message.set_content(f"{name} has {VERB[partstat].lower()} this invitation.", charset="utf-8")
    message.add_alternative(f"<p>{name} has {VERB[partstat].lower()} this invitation.</p>", subtype="html")
    message.add_alternative(ics, maintype="text", subtype="calendar", params={"method": "REPLY", "charset": "UTF-8"})
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return bytes(message)


def thunderbird(
    *,
    uid: str,
    sequence: int,
    name: str,
    address: str,
    partstat: str,
    starts_at: datetime,
    comment: str = "",
    sender: str | None = None,
    dtstamp: str | None = None,
) -> bytes:
    """Thunderbird's reply: text/plain, text/calendar method=REPLY and the same as an .ics attachment."""
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
        "VERSION:2.0",
        "METHOD:REPLY",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        "BEGIN:STANDARD",
        "TZNAME:GMT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "DTSTART:19701025T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "TZNAME:BST",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "DTSTART:19700329T010000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        f"CREATED:{_stamp()}",
        f"LAST-MODIFIED:{_stamp()}",
        f"DTSTAMP:{dtstamp or _stamp()}",
        f"UID:{uid}",
        "SUMMARY:Durham LEHC",
        f"ORGANIZER;CN=Durham LEHC:mailto:{ORGANISER}",
        f"ATTENDEE;RSVP=TRUE;PARTSTAT={partstat};ROLE=REQ-PARTICIPANT;CN={name}:mailto:{address}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(starts_at + timedelta(minutes=20))}",
        f"SEQUENCE:{sequence}",
        *([f"COMMENT:{comment}"] if comment else []),
        "X-MOZ-RECEIVED-SEQUENCE:0",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    ics = _crlf(lines)
    message = EmailMessage()
    _headers(message, (name, sender or address), f"{VERB[partstat]}: Durham LEHC")
    message["User-Agent"] = "Mozilla Thunderbird"
    message.set_content(f"{name} has {VERB[partstat].lower()} your event invitation.", charset="UTF-8")
    message.add_attachment(ics, maintype="text", subtype="calendar", params={"method": "REPLY", "charset": "UTF-8"})
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return bytes(message)
