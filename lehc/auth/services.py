"""Authentication: one place that decides whether an e-mail and password sign someone in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lehc.audit import audit
from lehc.extensions import db
from lehc.models import Membership, User
from lehc.models.people import normalise_email, password_hasher, utcnow

# A real hash to verify against when the account does not exist, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = password_hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class SignIn:
    user: User | None
    locked: bool = False


def authenticate(email: str, password: str, *, attempts: int, lock_minutes: int) -> SignIn:
    """The active user with this e-mail and password. Never says which of the two was wrong; after `attempts`
    wrong passwords the account is locked for `lock_minutes`, whatever is typed."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        audit("sign_in_failed", "user", detail="unknown e-mail address")
        return SignIn(None)
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        audit("sign_in_locked", "user", user.id)
        return SignIn(None, locked=True)
    if not user.check_password(password) or not user.active:
        user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
        if user.failed_sign_ins >= attempts:
            user.locked_until, user.failed_sign_ins = now + timedelta(minutes=lock_minutes), 0
        audit("sign_in_failed", "user", user.id)
        return SignIn(None, locked=user.locked_until is not None and user.locked_until > now)
    # The failure count is cleared only when the whole sign-in succeeds (start_session), so a known password
    # cannot be used to reset the count of wrong second-factor codes.
    audit("sign_in_password", "user", user.id)
    return SignIn(user)


def user_of(session_id: str) -> User | None:
    """The active user a session id names, while the version of their sessions is the one it carries."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(  # with what every page's access checks read, in one statement
        User,
        int(user_id),
        options=[joinedload(User.agency), joinedload(User.memberships).joinedload(Membership.seat)],
    )
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: a session ends at once when the user is deactivated, their sessions are ended, or
    this browser signed out (its server-side session is closed)."""
    from lehc.auth.sessions import server_session_open  # sessions reads user_of too

    user = user_of(session_id)
    return user if user is not None and server_session_open(user) else None
