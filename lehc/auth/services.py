"""Authentication: one place that decides whether an e-mail and password sign someone in."""

from __future__ import annotations

from sqlalchemy import select

from lehc.extensions import db
from lehc.models import User
from lehc.models.people import normalise_email, password_hasher, utcnow

# A real hash to verify against when the account does not exist, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = password_hasher.hash("not-a-real-password")


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. Never says which of the two was wrong."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_sign_in_at = utcnow()
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: a deactivated user's existing sessions stop working at once."""
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None
