from flask import Blueprint

bp = Blueprint("insight", __name__)

from lehc.insight import views  # noqa: E402,F401
