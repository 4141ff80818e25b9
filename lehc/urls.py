"""Links that leave the app (e-mails, calendars, feeds) are built from BASE_URL, never from the request's Host."""

from __future__ import annotations

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path
