"""Running a meeting and its minutes: attendance, notes, actions, approval and amendment."""

from flask import Blueprint

bp = Blueprint("minutes", __name__)

from lehc.minutes import views  # noqa: E402,F401
