"""Record-level access declared on the route: `@record(...)` loads the record the URL names, applies a `policy`
predicate before the view runs, audits a refusal the same way everywhere, and hands the record to the view.

    @bp.get("/families/<int:family_id>")
    @record("family", load_family, may_see=policy.can_view_family)
    def view_family(family: Family): ...

A record that does not exist, or that the user may not see, is 404 (never confirming that it exists); one they may
see but not change is 403. `tests/integration/security/test_routes.py` refuses a route that takes an id and
declares only `@signed_in`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import login_required

from lehc.audit import audit_denied
from lehc.policy import PERMISSION_ATTRIBUTE, signed_in_user

Predicate = Callable[[Any, Any], bool]


def _family_of(found: Any) -> int | None:
    """The family a refused record is about, for the audit trail (an action's through its discussion)."""
    if type(found).__tablename__ == "family":
        return found.id
    if getattr(found, "family_id", None) is not None:
        return found.family_id
    discussion = getattr(found, "discussion", None)
    return discussion.family_id if discussion is not None else None


def _refuse(found: Any, status: int) -> None:
    audit_denied(type(found).__tablename__, found.id, family_id=_family_of(found))
    abort(status)


def record(
    name: str,
    load: Callable[..., Any],
    *,
    may_see: Predicate,
    may_change: Predicate | None = None,
    refuse_unseen: int = 404,
) -> Callable[[Callable], Callable]:
    """Route decorator (in place of `@signed_in`). `load` is called with the URL arguments it names (e.g.
    `meeting_id`, `item_id`) and returns the record or None; `may_see(user, record)` and `may_change(user, record)`
    are `policy` predicates. The view is called with the record as `name` in place of those arguments, and with
    the URL's other arguments (a member's id on a family's page, say)."""

    loader_ids = list(inspect.signature(load).parameters)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            found = load(**{key: kwargs.pop(key) for key in loader_ids})
            if found is None:
                abort(404)
            user = signed_in_user()
            if not may_see(user, found):
                _refuse(found, refuse_unseen)
            if may_change is not None and not may_change(user, found):
                _refuse(found, 403)
            return view(**{name: found}, **kwargs)

        guarded = login_required(wrapped)
        setattr(guarded, PERMISSION_ATTRIBUTE, f"record:{name}")
        return guarded

    return decorator
