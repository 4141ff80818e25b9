"""Locks shared by every server on one database, for work that must run in one place at a time (sending the
outbox, reading replies, queueing reminders): a PostgreSQL advisory lock, or a lock file beside an SQLite database.
Both belong to a connection or a process, so a server that dies while holding one frees it."""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from lehc.extensions import db


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Yield True when this process now holds the lock called `name`, False when another process holds it."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(f"lehc:{name}".encode())
        with engine.connect() as connection:
            held = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    connection.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield True  # one process owns an in-memory database
        return
    with Path(f"{database}.{name}.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
