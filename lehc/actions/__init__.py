from flask import Blueprint

bp = Blueprint("actions", __name__)

from lehc.actions import views  # noqa: E402,F401
