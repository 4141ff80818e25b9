"""Password reset by a single-use, time-limited link sent through the outbox."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from lehc.extensions import db
from lehc.mail import queue_message
from lehc.models import User
from lehc.models.people import normalise_email
from lehc.urls import external_url

SALT = "lehc-password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    """Changes whenever the password changes, so a used (or older) link stops working."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "fp": _fingerprint(user)})


def user_for_token(token: str) -> User | None:
    max_age = current_app.config["PASSWORD_RESET_MINUTES"] * 60
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        return None
    return user


def request_reset(email: str) -> None:
    """Queue a link if an active account has this address; say nothing either way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email), User.active.is_(True)))
    if user is None:
        return
    link = external_url("auth.reset_password", token=make_token(user))
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    queue_message(
        to=user,
        subject="Reset your LEHC password",
        body=(
            f"Someone asked to reset the password for your LEHC account.\n\nReset it here within {minutes} minutes "
            f"(the link works once):\n{link}\n\nIf it was not you, ignore this e-mail: your password has not changed."
        ),
    )
