"""Sign-in throttling: wrong passwords and codes slow further attempts down, with no hard lock that anyone can set off.

Every failure is counted twice: for the e-mail address from this client (address and client IP together) and for
the address from anywhere. After LOCKOUT_ATTEMPTS failures from one client, or LOCKOUT_ADDRESS_ATTEMPTS from
everywhere, each further failure makes that count wait 1, 2, 4, 8… minutes, never more than LOCKOUT_MINUTES. So
someone guessing from one place slows only themselves, and guessing spread over many places slows the address for
minutes at a time, never for good. An address is counted, answered and worked on alike whether or not an account
has it (nothing tells the two apart), and the account holder is e-mailed when their address starts being slowed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from lehc.dates import format_datetime
from lehc.extensions import db
from lehc.mail import queue_message
from lehc.models import SignInThrottle, User
from lehc.models.people import normalise_email, utcnow
from lehc.urls import external_url

FORGET_AFTER = timedelta(days=1)  # a count with no failure for this long starts again from nothing


@dataclass(frozen=True)
class _Count:
    key: str
    free: int  # failures allowed before each further one makes the next attempt wait


def _key(*parts: str) -> str:
    """A keyed hash, so the table holds no e-mail or IP address that could be read back or guessed offline."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.new(secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def _counts(email: str, client: str | None) -> list[_Count]:
    address, config = normalise_email(email), current_app.config
    return [
        _Count(_key("address", address), config["LOCKOUT_ADDRESS_ATTEMPTS"]),
        _Count(_key("client", address, client or ""), config["LOCKOUT_ATTEMPTS"]),
    ]


def wait_minutes(email: str, client: str | None, now: datetime | None = None) -> int:
    """Whole minutes before this address may be tried again from this client; 0 when it may be tried now."""
    now = now or utcnow()
    keys = [count.key for count in _counts(email, client)]
    until = db.session.scalars(
        select(SignInThrottle.blocked_until).where(
            SignInThrottle.key_hash.in_(keys), SignInThrottle.blocked_until > now
        )
    ).all()
    return math.ceil((max(until) - now).total_seconds() / 60) if until else 0


def _wait_after(failures: int, free: int) -> int:
    if failures < free:
        return 0
    return min(2 ** (failures - free), current_app.config["LOCKOUT_MINUTES"])


def _count_failure(count: _Count, now: datetime) -> SignInThrottle:
    """One more failure on a count, safe when two requests count the same one at once."""
    step = update(SignInThrottle).where(SignInThrottle.key_hash == count.key)
    if db.session.execute(step.values(failures=SignInThrottle.failures + 1, last_failure_at=now)).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(SignInThrottle(key_hash=count.key, failures=1, last_failure_at=now))
        except IntegrityError:  # counted by another request at the same moment: add to theirs
            db.session.execute(step.values(failures=SignInThrottle.failures + 1, last_failure_at=now))
    row = db.session.scalar(
        select(SignInThrottle).where(SignInThrottle.key_hash == count.key).execution_options(populate_existing=True)
    )
    wait = _wait_after(row.failures, count.free)
    if wait:
        row.blocked_until = now + timedelta(minutes=wait)
    return row


def record_failure(email: str, client: str | None, now: datetime | None = None) -> int:
    """Count a wrong password or code; the minutes to wait before the next attempt (0 when none)."""
    now = now or utcnow()
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.last_failure_at < now - FORGET_AFTER))
    address_count, client_count = _counts(email, client)
    address_row, client_row = _count_failure(address_count, now), _count_failure(client_count, now)
    if client_row.failures == client_count.free or address_row.failures == address_count.free:
        _tell_the_account_holder(email, address_row, now)
    return wait_minutes(email, client, now)


def clear(email: str, client: str | None) -> None:
    """A whole sign-in, or a password reset, succeeded: forget the counts for this address here and everywhere."""
    keys = [count.key for count in _counts(email, client)]
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.key_hash.in_(keys)))


def _tell_the_account_holder(email: str, address_row: SignInThrottle, now: datetime) -> None:
    """E-mail the holder (queued, so answering takes as long as for an address with no account), at most once per
    LOCKOUT_MINUTES."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email), User.active.is_(True)))
    quiet = timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
    if user is None or (address_row.notified_at is not None and now - address_row.notified_at < quiet):
        return
    address_row.notified_at = now
    queue_message(
        to=user,
        subject="Sign-in attempts on your LEHC account",
        body=(
            f"Someone tried to sign in to your LEHC account with a wrong password or code several times, most "
            f"recently on {format_datetime(now)}. Further attempts are slowed down for a few minutes.\n\n"
            "If it was you, wait a few minutes and try again, or reset your password:\n"
            f"{external_url('auth.forgot_password')}\n\n"
            "If it was not you, your account is safe while your password and authenticator stay yours. Tell your "
            "LEHC administrator, and change your password if you think someone knows it.\n\n"
            "LEHC never asks for your password or codes by e-mail."
        ),
    )
