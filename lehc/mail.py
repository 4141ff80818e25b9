"""Outgoing e-mail through the outbox: queue first, send later, retry with back-off, never lose a message."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select

from lehc.extensions import db
from lehc.locks import exclusive
from lehc.models import Locality, OutboxMessage, OutboxStatus, User
from lehc.models.people import utcnow
from lehc.text import clean_text, one_line

MAX_BACKOFF = timedelta(hours=1)
logger = logging.getLogger(__name__)


def queue_message(
    *,
    to: User | str,
    subject: str,
    body: str,
    calendar: bytes | None = None,
    method: str | None = None,
    locality: Locality | None = None,
    unsubscribe_url: str = "",
) -> OutboxMessage:
    """Queue an e-mail to a user or to an address alone (a forum's mailing list, which also gets a one-click
    `unsubscribe_url`); `locality`, when it is about a locality's meeting or family, lets its coordinators see it
    on the outbox page."""
    message = OutboxMessage(
        recipient=to if isinstance(to, str) else to.email,
        recipient_user_id=None if isinstance(to, str) else to.id,
        unsubscribe_url=unsubscribe_url or None,
        locality_id=locality.id if locality is not None else None,
        subject=one_line(subject)[:200],
        body=clean_text(body),
        calendar=calendar.decode("utf-8") if calendar else None,
        calendar_method=method,
    )
    db.session.add(message)
    return message


def build_email(message: OutboxMessage, sender: str, domain: str) -> EmailMessage:
    """A plain-text body, the invite as a text/calendar alternative with its method, and invite.ics attached.

    Outlook shows accept/decline only with METHOD in both the iCalendar object and the MIME part.
    """
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = one_line(message.subject)  # queued before subjects were flattened, perhaps
    email["Date"] = format_datetime(message.created_at)
    # Stable per queued message: if a send is repeated after a crash, mail systems see the same message again.
    email["Message-ID"] = message_id(message, domain)
    if message.unsubscribe_url:  # RFC 2369 and RFC 8058: the mail client's own unsubscribe button, one click
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body, charset="utf-8")
    if message.calendar:
        calendar = message.calendar.encode("utf-8")
        # the charset is said, so a name such as "Siân Ó Briain" reads right in every client
        params = {"method": message.calendar_method, "charset": "utf-8"}
        email.add_alternative(calendar, maintype="text", subtype="calendar", params=params)
        email.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
    return email


def message_id(message: OutboxMessage, domain: str) -> str:
    return f"<lehc-outbox-{message.id}-{int(message.created_at.timestamp())}@{domain}>"


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    error: str = ""
    unbuildable: list[int] = field(default_factory=list)  # ids of messages marked failed for good


def _due(now: datetime, limit: int) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _defer(message: OutboxMessage, error: str, now: datetime) -> None:
    message.attempts += 1
    message.last_error = error[:1000]
    message.next_attempt_at = now + min(timedelta(minutes=2 ** (message.attempts - 1)), MAX_BACKOFF)


def _fail(message: OutboxMessage, error: str) -> None:
    """A message that can never be sent as it is: kept with the reason, out of the queue, never retried."""
    message.attempts += 1
    message.status, message.last_error = OutboxStatus.FAILED, error[:1000]
    logger.error("outbox message %s failed for good: %s", message.id, error[:200])


def _connect(config: dict) -> smtplib.SMTP:
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    if config["SMTP_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if config["SMTP_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
    if config["SMTP_USERNAME"]:
        smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
    return smtp


def send_outbox(config: dict, *, now: datetime | None = None, limit: int = 500) -> SendReport:
    """Send what is due. Each message is marked sent and committed as soon as the server takes it; one that cannot
    be built (a header it cannot hold, stored before such values were refused) is marked failed and the rest go on."""
    now = now or utcnow()
    report = SendReport()
    messages = _due(now, limit)
    if not messages:
        return report
    if not config["SMTP_HOST"]:
        report.waiting, report.error = len(messages), "SMTP is not configured (set SMTP_HOST)"
        return report
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as error:
        for message in messages:
            _defer(message, f"cannot connect: {error}", now)
        db.session.commit()
        report.failed, report.error = len(messages), str(error)
        return report
    with smtp:
        for message in messages:
            try:
                email = build_email(message, config["MAIL_FROM"], config["CALENDAR_DOMAIN"])
            except Exception as error:  # noqa: BLE001 - whatever makes one message unbuildable must not stop the rest
                _fail(message, f"cannot be built: {type(error).__name__}: {error}")
                report.failed += 1
                report.unbuildable.append(message.id)
                db.session.commit()
                continue
            try:
                smtp.send_message(email)
            except (OSError, smtplib.SMTPException) as error:
                _defer(message, str(error), now)
                report.failed += 1
            else:
                message.status, message.sent_at, message.last_error = OutboxStatus.SENT, utcnow(), ""
                report.sent += 1
            db.session.commit()
    return report


def send_now_if_configured(config: dict) -> bool:
    """What a request has queued goes at once when SMTP is configured, rather than at the next `send-outbox` run:
    the request's work is committed first, so a failure to send loses nothing (it stays queued). False when no
    mail server is set: the messages wait in the outbox."""
    if not config["SMTP_HOST"]:
        return False
    db.session.commit()
    with exclusive("send-outbox") as held:
        if held:  # else another server (or `flask run-jobs`) is sending right now and takes these too
            send_outbox(config)
    return True
