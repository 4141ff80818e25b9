"""The administration area: accounts, memberships, localities, the audit log, access review, subject access."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from lehc.admin import views  # noqa: E402,F401
