"""Form helpers shared by every area."""

from __future__ import annotations


def strip_whitespace(value: str | None) -> str | None:
    """A WTForms filter: people paste addresses with stray spaces."""
    return value.strip() if isinstance(value, str) else value
