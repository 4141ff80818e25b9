"""LEHC: the meeting tool for Locality Early Help Conversations."""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from flask import Flask, abort, g, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from lehc import page_cache, templating
from lehc.config import build_config, ensure_safe, ensure_same_environment, ensure_secret_key, shared_rate_limits
from lehc.extensions import csrf, db, limiter, login_manager, migrate
from lehc.forms import MAX_RECORD_ID


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: write-ahead log for concurrent readers, wait on locks instead of failing, enforce foreign keys."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@event.listens_for(Engine, "do_connect")
def _postgresql_settings(dialect, _record, _arguments, parameters: dict) -> None:
    """PostgreSQL: no JIT compilation in LEHC's sessions, set as the connection starts (libpq's `options`, so a
    rollback cannot undo it and no statement is spent on it). JIT pays off for long analytical queries; LEHC's are
    short, but the planner's cost estimate of a page's wider statements passes `jit_above_cost`, and compiling them
    took most of their time: the home page at bench scale 0.1 took 62 ms with JIT off against 126–138 ms with it on."""
    if dialect.name == "postgresql":
        parameters["options"] = f"{parameters.get('options', '')} -c jit=off".strip()


class RecordIdConverter(IntegerConverter):
    """`<int:…>` in every route: a number larger than any database id is no such page (404), not an overflow."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_RECORD_ID):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max)


def create_app(config: dict | None = None) -> Flask:
    """Build the app. ``config`` overrides everything else (tests pass their database URL here)."""
    instance_path = os.environ.get("LEHC_INSTANCE_PATH")
    app = Flask(
        __name__, instance_relative_config=True, instance_path=os.path.abspath(instance_path) if instance_path else None
    )
    app.jinja_environment = templating.Environment  # before app.jinja_env is first read
    overrides = config or {}
    app.config.update(build_config(Path(app.instance_path), overrides))
    environment = app.config["LEHC_ENV"]
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(overrides)
    ensure_same_environment(app.config, environment)
    ensure_secret_key(app.config, Path(app.instance_path))
    ensure_safe(app.config)
    if warning := shared_rate_limits(app.config):
        app.logger.warning(warning)
    if app.config["TRUSTED_PROXIES"]:  # the client's address and scheme as the trusted proxies saw them
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("lehc"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    page_cache.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    from lehc.auth.sessions import load_user

    login_manager.user_loader(load_user)

    app.url_map.converters["int"] = RecordIdConverter  # before the routes: <int:…> never exceeds a database id
    _register_blueprints(app)
    _register_templates(app)
    _register_errors(app)
    _register_request_hooks(app)

    from lehc.cli import register_cli

    register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from lehc.actions import bp as actions_bp
    from lehc.admin import bp as admin_bp
    from lehc.auth import bp as auth_bp
    from lehc.exports import bp as exports_bp
    from lehc.families import bp as families_bp
    from lehc.insight import bp as insight_bp
    from lehc.main import assets_bp
    from lehc.main import bp as main_bp
    from lehc.meetings import bp as meetings_bp
    from lehc.minutes import bp as minutes_bp

    app.register_blueprint(assets_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(families_bp)
    app.register_blueprint(minutes_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(insight_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")


def _register_templates(app: Flask) -> None:
    from lehc import dates
    from lehc.forms import error_summary

    app.add_template_global(error_summary)

    app.add_template_filter(dates.format_date, "govuk_date")
    app.add_template_filter(dates.format_plain_date, "plain_date")
    app.add_template_filter(dates.format_time, "govuk_time")
    app.add_template_filter(dates.format_datetime, "govuk_datetime")

    @app.context_processor
    def inject_globals() -> dict:
        return {
            "service_name": app.config["SERVICE_NAME"],
            "organisation_name": app.config["ORGANISATION_NAME"],
            "cspNonce": g.get("csp_nonce", ""),
        }


def _register_errors(app: Flask) -> None:
    def error_page(status: int):
        def handler(_error):
            return render_template(f"errors/{status}.html"), status

        return handler

    for status in (403, 404, 405, 429, 500):
        app.register_error_handler(status, error_page(status))

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_template("errors/400.html"), 400

    @app.errorhandler(StaleDataError)
    def simultaneous_change(_error):
        # A save that lost a race with another (lehc.concurrency): nothing of it is kept, and the person is told
        db.session.rollback()
        return render_template("errors/409.html"), 409


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def make_csp_nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.before_request
    def refuse_nul_in_url():
        # NUL is never part of a real address or filter, and PostgreSQL refuses it in text
        if "\x00" in request.path or any("\x00" in key + value for key, value in request.args.items(multi=True)):
            abort(400)

    from lehc.auth.sessions import enforce_timeouts

    app.before_request(enforce_timeouts)

    @app.after_request
    def commit_and_secure(response):
        # One commit per request: views only change the session; work is kept on success, dropped on error.
        if response.status_code < 400:
            session = db.session()
            session.expire_on_commit = False  # the request ends here: expiring every object it read is waste
            try:
                session.commit()
            except StaleDataError:  # lost a race at the final write: nothing is kept, the person is told
                db.session.rollback()
                response = make_response(render_template("errors/409.html"), 409)
            finally:
                session.expire_on_commit = True
        else:
            db.session.rollback()
        _security_headers(app, response)
        return response


def _security_headers(app: Flask, response) -> None:
    nonce = g.get("csp_nonce", "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    if app.config["LEHC_ENV"] == "production":
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
