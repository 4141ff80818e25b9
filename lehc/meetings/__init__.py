"""The meetings area: series, single meetings, agendas, invites, responses and agency checks."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)

from lehc.meetings import views  # noqa: E402,F401
