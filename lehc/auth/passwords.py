"""Password rules (NCSC and OWASP ASVS): long, not common, not about the person. No composition rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 1024


@cache
def common_passwords() -> frozenset[str]:
    lines = (Path(__file__).parent / "common_passwords.txt").read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """None when the password is acceptable; otherwise the message to show, in GOV.UK wording."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        return "Choose a password that is harder to guess: this one is too common"
    personal = [email.split("@")[0].lower(), *name.lower().split()]
    if any(part and len(part) >= 4 and part in lowered for part in personal):
        return "Choose a password that does not include your name or email address"
    return None
