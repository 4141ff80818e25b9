"""What every route declares: public, signed in, or an application role. A test walks the URL map and fails for
any route that declares nothing; routes that name a record declare it with lehc.access.record and a predicate
from this package."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from lehc.models import Role, User

PERMISSION_ATTRIBUTE = "lehc_permission"


def _declare(view: Callable, permission: str) -> Callable:
    setattr(view, PERMISSION_ATTRIBUTE, permission)
    return view


def public(view: Callable) -> Callable:
    """Open to anyone, signed in or not (sign-in page, assets, health check)."""
    return _declare(view, "public")


def signed_in(view: Callable) -> Callable:
    """Any active signed-in user; record-level checks happen inside the view through this module."""
    return _declare(login_required(view), "signed_in")


def requires_role(*roles: Role) -> Callable[[Callable], Callable]:
    """Signed in with one of these application roles; others get 403, anonymous users the sign-in page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not user_has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return _declare(login_required(wrapped), "role:" + ",".join(role.value for role in roles))

    return decorator


def signed_in_user() -> User:
    """The signed-in user themselves rather than Flask-Login's `current_user` proxy, for a view to hand to the
    services: a page asks the policy about every item, action and check it lists, and each read of an attribute
    through the proxy looks the user up in the request context again."""
    return current_user._get_current_object()


def user_has_role(user: User | Any, *roles: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles


def can_manage_users(user: User) -> bool:
    return user_has_role(user, Role.ADMIN)
