"""People who use LEHC, their application role and where they sit."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lehc.extensions import db
from lehc.models.reference import Agency, Locality, MembershipKind, Seat, enum_column
from lehc.models.types import UTCDateTime

# argon2id with the library's defaults (RFC 9106 low-memory profile).
password_hasher = PasswordHasher()


def utcnow() -> datetime:
    return datetime.now(UTC)


def normalise_email(email: str) -> str:
    """E-mail addresses are unique regardless of case: store them trimmed and lower-cased."""
    return email.strip().lower()


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    MEMBER = "member"

    @property
    def label(self) -> str:
        return {"admin": "Administrator", "coordinator": "Coordinator", "chair": "Chair", "member": "Member"}[
            self.value
        ]


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    job_title: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.MEMBER)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the session id: raising it ends every session of the user (password change, deactivation).
    session_version: Mapped[int] = mapped_column(default=1)
    # Second factor: a TOTP secret (RFC 6238) and the last time step used, so a code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    # Created by `flask demo-data`: may skip the second factor in development only.
    demo_account: Mapped[bool] = mapped_column(default=False)
    # Bearer secret in the user's calendar subscription URL; regenerating it revokes the old URL.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    agency: Mapped[Agency | None] = relationship(lazy="joined")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Membership.id"
    )

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    @property
    def label(self) -> str:
        """How LEHC names a person to others: "Pat Kelly, CAMHS" (the pickers add more to tell namesakes apart)."""
        return f"{self.name}, {self.agency.name}" if self.agency is not None else self.name

    # Flask-Login reads is_active; an inactive user can neither sign in nor keep a session.
    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session identifier: the user and the version of their sessions."""
        return f"{self.id}.{self.session_version or 1}"

    def end_all_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = password_hasher.hash(password)

    def check_password(self, password: str) -> bool:
        """Verify the password, upgrading the stored hash when the hashing parameters have changed."""
        if not self.password_hash:
            return False
        try:
            password_hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if password_hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return True

    def regenerate_calendar_token(self) -> str:
        self.calendar_token = secrets.token_urlsafe(32)
        return self.calendar_token

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class Membership(db.Model):
    """A user's place in one locality's LEHC: core or call-on, usually in a named seat."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "locality_id", name="uq_membership_user_locality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("seat.id"))
    kind: Mapped[MembershipKind] = mapped_column(enum_column(MembershipKind))

    user: Mapped[User] = relationship(back_populates="memberships")
    locality: Mapped[Locality] = relationship(back_populates="memberships", lazy="joined")
    seat: Mapped[Seat | None] = relationship(lazy="joined")


class RecoveryCode(db.Model):
    """A one-time code for signing in without the authenticator app. Only a hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignedInSession(db.Model):
    """One signed-in browser. The session cookie carries a random key whose hash is kept here, so signing out
    ends that session on the server: a copy of the cookie taken before is refused from then on."""

    __tablename__ = "signed_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class SignInThrottle(db.Model):
    """Wrong passwords and codes counted for an e-mail address (whether or not an account has it) and for that
    address from one client; see lehc.auth.throttle. Keyed by a hash: the table holds no address in clear."""

    __tablename__ = "sign_in_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the account holder was e-mailed
