"""Session rules: a fresh session at sign-in, an idle timeout and an absolute timeout."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import ColumnElement, Select, bindparam, delete, or_, select, update
from sqlalchemy.orm import joinedload

from lehc.auth import throttle
from lehc.extensions import db
from lehc.models import Membership, SignedInSession, User
from lehc.models.people import utcnow

SESSION_KEY = "sid"


def start_session(user: User) -> None:
    """Clear whatever the browser had (no fixation), then sign in with fresh timestamps and a new server-side
    session (the cookie carries its key)."""
    user.last_sign_in_at = utcnow()
    throttle.clear(user.email, request.remote_addr)
    session.clear()
    login_user(user)
    now = utcnow().timestamp()
    session["signed_in_at"] = session["last_seen_at"] = now
    session[SESSION_KEY] = open_server_session(user)
    session.permanent = True


def open_server_session(user: User) -> str:
    """Record a signed-in browser and return the key its cookie carries; forget the user's ended or expired ones."""
    too_old = utcnow() - timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    db.session.execute(
        delete(SignedInSession).where(
            SignedInSession.user_id == user.id,
            or_(SignedInSession.ended_at.is_not(None), SignedInSession.started_at < too_old),
        )
    )
    key = secrets.token_urlsafe(32)
    db.session.add(SignedInSession(key_hash=SignedInSession.hash_key(key), user_id=user.id))
    return key


def end_session() -> None:
    """Sign this browser out, on the server too: every copy of its cookie stops working."""
    key = session.get(SESSION_KEY)
    if isinstance(key, str) and key:
        db.session.execute(
            update(SignedInSession)
            .where(SignedInSession.key_hash == SignedInSession.hash_key(key), SignedInSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    logout_user()
    session.clear()


def end_every_session(user: User) -> None:
    """Sign the user out in every browser (sign out everywhere, password change, deactivation)."""
    user.end_all_sessions()
    db.session.execute(
        update(SignedInSession)
        .where(SignedInSession.user_id == user.id, SignedInSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def expired_reason(now: float) -> str | None:
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]).total_seconds()
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]).total_seconds()
    signed_in_at, last_seen_at = session.get("signed_in_at"), session.get("last_seen_at")
    if signed_in_at is None or last_seen_at is None:
        return "Sign in to continue"
    if now - signed_in_at > absolute:
        hours = current_app.config["SESSION_ABSOLUTE_HOURS"]
        return f"You have been signed out because you signed in more than {hours} hours ago"
    if now - last_seen_at > idle:
        return f"You have been signed out after {current_app.config['SESSION_IDLE_MINUTES']} minutes without activity"
    return None


def enforce_timeouts():
    """Before every request: end a session that has been idle or alive too long; otherwise note the activity."""
    if not current_user.is_authenticated or request.endpoint in ("static", "assets.static"):
        return None
    now = utcnow().timestamp()
    reason = expired_reason(now)
    if reason:
        end_session()
        flash(reason, "info")
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    session["last_seen_at"] = now
    return None


PENDING_SECONDS = 300


def two_factor_required(user: User) -> bool:
    config = current_app.config
    exempt = config["LEHC_ENV"] == "development" and user.demo_account
    return config["TOTP_REQUIRED"] and not exempt


def begin_second_step(user: User, destination: str) -> None:
    """Password accepted: remember who is signing in for a few minutes, without signing them in."""
    session.clear()
    session["pending_user"] = user.get_id()
    session["pending_at"] = utcnow().timestamp()
    session["pending_next"] = destination


def pending_user() -> User | None:
    started = session.get("pending_at")
    if not session.get("pending_user") or started is None or utcnow().timestamp() - started > PENDING_SECONDS:
        return None
    return user_of(session["pending_user"])


def record_failed_code(user: User) -> int:
    """Wrong codes count with wrong passwords (lehc.auth.throttle); minutes to wait before the next attempt."""
    return throttle.record_failure(user.email, request.remote_addr)


def throttled_message(minutes: int) -> str:
    """What every throttled sign-in step says, whatever the address (nothing tells a known one from another)."""
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many attempts to sign in with this email address. Wait {minutes} {unit}, then try again"


@cache
def _user_statements() -> tuple[Select, Select]:
    """The statements that read a session's user: without, and with, the check that the cookie's session is still
    open on the server (not signed out, not ended everywhere). Built once, their values bound at each request:
    building them anew cost about 770 Python calls on every page."""

    def of_user(*conditions: ColumnElement[bool]) -> Select:
        return (
            select(User)
            .where(
                User.id == bindparam("user_id"),
                User.active.is_(True),
                User.session_version == bindparam("version"),
                *conditions,
            )
            .options(
                joinedload(User.agency),
                joinedload(User.memberships).joinedload(Membership.seat),
                joinedload(User.memberships).joinedload(Membership.locality),  # seven rows, then never fetched again
            )
        )

    still_open = (
        select(SignedInSession.id)
        .where(
            SignedInSession.key_hash == bindparam("key_hash"),
            SignedInSession.user_id == User.id,
            SignedInSession.ended_at.is_(None),
        )
        .exists()
    )
    return of_user(), of_user(still_open)


def user_of(session_id: str, *, open_session: bool = False) -> User | None:
    """The active user a session id names, while the version of their sessions is the one it carries (and, with
    open_session, while this browser's server-side session is open), with what every page's access checks read,
    in one statement."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    values = {"user_id": int(user_id), "version": int(version)}
    if open_session:
        key = session.get(SESSION_KEY)
        if not isinstance(key, str) or not key:
            return None
        values["key_hash"] = SignedInSession.hash_key(key)
    without, with_open_session = _user_statements()
    statement = with_open_session if open_session else without
    return db.session.scalars(statement, values).unique().one_or_none()


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: a session ends at once when the user is deactivated, their sessions are ended, or
    this browser signed out (its server-side session is closed)."""
    return user_of(session_id, open_session=True)
