"""Values read once per request: a page that asks the same question several times asks the database once.

Only inside a request (each has its own `g`); elsewhere (CLI, tests' own code) every call reads afresh, so a
change made outside a request is always seen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import g, has_request_context

T = TypeVar("T")


def once_per_request(key: tuple, compute: Callable[[], T]) -> T:
    if not has_request_context():
        return compute()
    cache = g.setdefault("lehc_request_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget(*prefix) -> None:
    """Drop cached values whose key starts with `prefix` (after the request itself changed them)."""
    if has_request_context():
        cache = g.get("lehc_request_cache", {})
        for key in [key for key in cache if key[: len(prefix)] == prefix]:
            del cache[key]
