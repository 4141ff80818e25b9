"""Signing in and out: passwords, the second factor, sessions, throttling and password reset."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from lehc.auth import views  # noqa: E402,F401
