"""Authentication: one place that decides whether an e-mail and password sign someone in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lehc.audit import audit
from lehc.auth import throttle
from lehc.extensions import db
from lehc.models import User
from lehc.models.people import normalise_email, password_hasher, utcnow

# A real hash to verify against when the account does not exist, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = password_hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class SignIn:
    user: User | None
    wait_minutes: int = 0  # the address is being slowed down (lehc.auth.throttle)


def authenticate(email: str, password: str, *, client: str | None) -> SignIn:
    """The active user with this e-mail and password. Never says which of the two was wrong, nor whether an account
    has the address: a known and an unknown address take the same steps (one password hash checked, the same
    counts kept by lehc.auth.throttle) and get the same answers."""
    now = utcnow()
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    wait = throttle.wait_minutes(email, client, now)
    if wait:
        User(password_hash=_DUMMY_HASH).check_password(password)  # the same work, and the password is not tried
        audit("sign_in_throttled", "user", user.id if user else None, detail=f"wait {wait} minutes")
        return SignIn(None, wait_minutes=wait)
    right = (user or User(password_hash=_DUMMY_HASH)).check_password(password)
    if user is None or not right or not user.active:
        wait = throttle.record_failure(email, client, now)
        audit("sign_in_failed", "user", user.id if user else None, detail="" if user else "unknown e-mail address")
        return SignIn(None, wait_minutes=wait)
    # The counts are cleared only when the whole sign-in succeeds (start_session), so a known password cannot be
    # used to reset the count of wrong second-factor codes.
    audit("sign_in_password", "user", user.id)
    return SignIn(user)
