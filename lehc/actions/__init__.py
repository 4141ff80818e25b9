"""The action tracker area: every action a person may see, filtered, updated and exported."""

from flask import Blueprint

bp = Blueprint("actions", __name__)

from lehc.actions import views  # noqa: E402,F401
