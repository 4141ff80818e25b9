from flask import Blueprint

bp = Blueprint("families", __name__)

from lehc.families import views  # noqa: E402,F401
