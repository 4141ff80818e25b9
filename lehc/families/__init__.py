"""The families area: records, members, consent, discussions, the meeting pack and letters."""

from flask import Blueprint

bp = Blueprint("families", __name__)

from lehc.families import views  # noqa: E402,F401
