"""Optimistic locking for edits of shared records: a save goes through only if nobody else saved the record since
the editor opened it, and the loser keeps their text.

Two windows are covered. While the form is open: the form carries the version it was opened at (a hidden field)
and a save from an older version is refused before anything is written. While two saves race: the record's
version is in the UPDATE's WHERE (SQLAlchemy's `version_id_col`), so of two saves that read the same version only
the first writes; the other updates no row, and `saving()` turns that into a conflict instead of a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from lehc.extensions import db


def version_of(record) -> str:
    """The version an edit form is opened at ("0" while the record does not exist yet)."""
    return "0" if record is None else str(record.version)


def changed_since(record, opened_at: str | None) -> bool:
    """Whether someone saved the record after the form was opened at `opened_at`."""
    return (opened_at or "") != version_of(record)


def touch(record) -> None:
    """An edit of the record's own content: move its version on. The version moves only here, not with every write
    to the row (`version_id_generator: False`), so housekeeping such as an item's calendar sequence does not turn
    someone's open form into a false conflict; every write still checks it."""
    record.version = (record.version or 0) + 1


class Save:
    """The outcome of `saving()`: `done` once the edit is written."""

    done = False


@contextmanager
def saving() -> Iterator[Save]:
    """Make an edit and write it now. If another save of the same record won the race (the UPDATE found no row at
    the version read, or the record was created at the same moment), nothing of this request is kept: the session
    is rolled back, `done` stays False and the caller shows the conflict with the user's text."""
    save = Save()
    try:
        yield save
        db.session.flush()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return
    save.done = True


def mark_conflict(form, record, what: str) -> None:
    """Tell the editor on the form (error summary) and let a second save, made knowingly, go through."""
    form.version.errors = [
        f"Someone else saved {what} while you were editing it. Your changes are below and are not saved yet: "
        "compare them with theirs (under 'Saved by someone else'), then save again."
    ]
    form.version.data = version_of(record)
