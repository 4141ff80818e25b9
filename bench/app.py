"""The app as the benchmark serves it: the real app, plus one bare route to compare throughput against."""

from __future__ import annotations

import os

from flask import Flask, render_template_string

from lehc import collector, create_app
from lehc.policy import public


def bench_config(database_url: str) -> dict:
    return {
        "LEHC_ENV": "test",  # production's secure cookies and second factor need HTTPS and an authenticator
        "SECRET_KEY": os.environ.get("LEHC_BENCH_SECRET", "bench-secret-key-not-for-production-use-0123456789"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # The load test is many users from one address: no limit, unless a run shares one between servers
        # (bench/load.py's two-server run sets RATELIMIT_STORAGE_URI; only sign-in is limited).
        "RATELIMIT_ENABLED": bool(os.environ.get("RATELIMIT_STORAGE_URI")),
        "TOTP_REQUIRED": False,
        "WTF_CSRF_ENABLED": False,  # the load script posts forms without scraping tokens first
    }


def build(database_url: str) -> Flask:
    app = create_app(bench_config(database_url))

    @public
    def bare():
        return render_template_string("<!doctype html><title>Bare</title><p>{{ greeting }}</p>", greeting="Hello")

    app.add_url_rule("/bench/bare", "bench_bare", bare)
    collector.init_app(app)  # as wsgi.py does in production
    return app


def wsgi() -> Flask:
    """For gunicorn: `gunicorn 'bench.app:wsgi()'` with LEHC_BENCH_DATABASE_URL set."""
    return build(os.environ["LEHC_BENCH_DATABASE_URL"])
