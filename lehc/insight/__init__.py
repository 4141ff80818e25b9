"""Insight: aggregate figures for a locality or the county over a period, with small counts suppressed."""

from flask import Blueprint

bp = Blueprint("insight", __name__)

from lehc.insight import views  # noqa: E402,F401
