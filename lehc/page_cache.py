"""Rendered parts of busy pages, kept in this process's memory until the data behind them changes.

The agenda is the page everyone opens in the minutes before a meeting, again and again. Rendering it means
ten queries, a few hundred rows and the per-person access checks; serving it again, unchanged, to the same
person needs none of that. This module keeps what was rendered and knows when it stops being true:

- **Data changes.** Every transaction that changes the data also moves on one number, the data version (the
  single row of `DataVersion`), in the same commit; the session events below do it, for changes made through
  objects and for bulk `insert`/`update`/`delete` statements alike. A part is stored with the version read
  *before* it was rendered and served only while the version is still the same, so a change committed by any
  worker, process or command is seen at the next request. (Audit events are written on reads and are shown by
  no cached part, so they do not move the version.)
- **Time passes.** A part says until when it holds (e.g. the next midnight, for "due" and consent dates, or the
  meeting's start, for the "Run the meeting" button).
- **Everything else.** Entries are per person (the key starts with the user's id, taken after sign-in is
  checked), live at most `PAGE_CACHE_SECONDS`, and at most `PAGE_CACHE_SIZE` are kept; they are in this
  process's memory only, never on disk or shared. Per-response values are not cached: the CSRF token is a
  placeholder filled in for each response, and the page's layout (flash messages, CSP nonce) is rendered
  each time.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from cachetools import TTLCache
from flask import Flask, current_app, render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import TextClause, event, insert, select, update
from sqlalchemy.orm import Session

from lehc.models import AuditEvent, DataVersion, SignedInSession, SignInThrottle
from lehc.models.people import utcnow

EXTENSION = "lehc_page_cache"
WROTE = "lehc_wrote"
NOT_SHOWN_MODELS = (AuditEvent, SignedInSession, SignInThrottle)  # written by reading pages and signing in
NOT_SHOWN = {model.__tablename__ for model in NOT_SHOWN_MODELS}
# Stands in for the CSRF token in a stored part; unguessable, so no text a user typed can contain it.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


# ---------------------------------------------------------------- the data version


def current_version(session) -> int:
    return session.scalar(select(DataVersion.n).where(DataVersion.id == 1)) or 0


def _note_flush(session, _flush_context) -> None:
    # still the pre-flush state here: what this flush wrote
    if any(not isinstance(obj, NOT_SHOWN_MODELS) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[WROTE] = True


def _note_statement(state) -> None:
    if isinstance(state.statement, TextClause):  # SQL as text: assume it writes
        state.session.info[WROTE] = True
    elif state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in NOT_SHOWN:
            state.session.info[WROTE] = True


def _move_version_on(session) -> None:
    session.flush()  # what is still pending is part of this commit
    if not session.info.get(WROTE):
        return
    moved = session.execute(update(DataVersion).where(DataVersion.id == 1).values(n=DataVersion.n + 1))
    if moved.rowcount == 0:  # a database made by create_all rather than the migrations
        session.execute(insert(DataVersion).values(id=1, n=1))


def _forget_writes(session) -> None:
    session.info.pop(WROTE, None)  # committed: the version has moved on for them


def _forget_rolled_back(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction; a savepoint keeps what came before it
        session.info.pop(WROTE, None)


def track_versions() -> None:
    """Make every session move the data version on when it commits a change (once per process)."""
    hooks = [
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_statement),
        ("before_commit", _move_version_on),
        ("after_commit", _forget_writes),
        ("after_soft_rollback", _forget_rolled_back),
    ]
    for name, hook in hooks:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


# ---------------------------------------------------------------- the cache


@dataclass(frozen=True)
class Part:
    """A rendered part of a page (with CSRF placeholders), until when it holds, and what the layout needs."""

    html: str
    valid_until: datetime
    layout: dict = field(default_factory=dict)

    def body(self) -> Markup:
        html = self.html
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
        # Safe: rendered by Jinja with autoescaping; only our own CSRF token (URL-safe characters) is put in.
        return Markup(html)  # nosec B704


@dataclass(frozen=True)
class _Entry:
    version: int
    part: Part


class PageCache:
    def __init__(self, size: int, seconds: float) -> None:
        self._entries: TTLCache | None = TTLCache(maxsize=size, ttl=seconds) if size > 0 else None
        self._lock = threading.Lock()

    def get(self, key: tuple, version: int, now: datetime) -> Part | None:
        if self._entries is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry.version != version or now >= entry.part.valid_until:
            return None
        return entry.part

    def put(self, key: tuple, version: int, part: Part) -> None:
        if self._entries is not None:
            with self._lock:
                self._entries[key] = _Entry(version, part)

    def clear(self) -> None:
        if self._entries is not None:
            with self._lock:
                self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries) if self._entries is not None else 0


def init_app(app: Flask) -> None:
    track_versions()
    app.extensions[EXTENSION] = PageCache(app.config["PAGE_CACHE_SIZE"], app.config["PAGE_CACHE_SECONDS"])


def cache_of(app: Flask) -> PageCache:
    return app.extensions[EXTENSION]


def fetch(session, key: tuple, render: Callable[[], Part]) -> Part:
    """The part stored under `key` if nothing has changed since it was rendered; otherwise `render()`'s.

    `key` must say whose view it is (the user's id first) and of what. Nothing is stored while this session
    holds uncommitted changes: they might yet be rolled back.
    """
    cache = cache_of(current_app)
    version = current_version(session)
    part = cache.get(key, version, utcnow())
    if part is not None:
        return part
    part = render()
    if not (session.info.get(WROTE) or session.new or session.dirty or session.deleted):
        cache.put(key, version, part)
    return part


def render_part(template: str, **context) -> str:
    """Render `template` for storing: CSRF tokens become a placeholder that Part.body() fills per response."""
    return render_template(template, csrf_token=lambda: CSRF_PLACEHOLDER, **context)
