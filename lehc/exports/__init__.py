"""Word and ZIP downloads of agendas and minutes."""

from flask import Blueprint

bp = Blueprint("exports", __name__)

from lehc.exports import views  # noqa: E402,F401
