"""Configuration from environment variables; defaults are safe to publish.

LEHC_ENV picks the profile (production by default). Every setting can be overridden by an environment
variable of the same name or by an optional ``instance/config.py``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

ENVIRONMENTS = ("development", "test", "production")


class ConfigError(RuntimeError):
    """The app refuses to start with an unsafe or incomplete configuration."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key(instance_path: Path) -> str:
    """A random key kept in instance/ so development sessions survive restarts; never used in production."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def build_config(instance_path: Path, overrides: dict | None = None) -> dict:
    """Return the defaults for this process, with environment variables and explicit overrides applied.

    ``create_app`` layers ``instance/config.py`` between the environment and the explicit overrides.
    """
    overrides = overrides or {}
    env = overrides.get("LEHC_ENV") or os.environ.get("LEHC_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"LEHC_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    is_production = env == "production"

    config: dict = {
        "LEHC_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or f"sqlite:///{instance_path / ('lehc-test.db' if env == 'test' else 'lehc.db')}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), is_production),
        "REMEMBER_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), is_production),
        "SESSION_IDLE_MINUTES": int(os.environ.get("LEHC_SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("LEHC_SESSION_ABSOLUTE_HOURS", "12")),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("LEHC_SESSION_ABSOLUTE_HOURS", "12"))),
        # Sign-in throttling (lehc.auth.throttle): failures allowed per address from one client, and per address
        # from everywhere, before attempts wait 1, 2, 4… minutes, at most LOCKOUT_MINUTES.
        "LOCKOUT_ATTEMPTS": int(os.environ.get("LEHC_LOCKOUT_ATTEMPTS", "5")),
        "LOCKOUT_ADDRESS_ATTEMPTS": int(os.environ.get("LEHC_LOCKOUT_ADDRESS_ATTEMPTS", "20")),
        "LOCKOUT_MINUTES": int(os.environ.get("LEHC_LOCKOUT_MINUTES", "15")),
        # Reverse proxies in front of the app that set X-Forwarded-For/-Proto: 0 trusts none (the default, and
        # right when clients connect directly); 1 for one proxy. Client addresses for rate limits and throttling.
        "TRUSTED_PROXIES": int(os.environ.get("LEHC_TRUSTED_PROXIES", "0")),
        "PASSWORD_RESET_MINUTES": int(os.environ.get("LEHC_PASSWORD_RESET_MINUTES", "60")),
        "RETENTION_FAMILY_YEARS": int(os.environ.get("LEHC_RETENTION_FAMILY_YEARS", "6")),
        "RETENTION_AUDIT_YEARS": int(os.environ.get("LEHC_RETENTION_AUDIT_YEARS", "7")),
        "RETENTION_OUTBOX_DAYS": int(os.environ.get("LEHC_RETENTION_OUTBOX_DAYS", "90")),
        "STEP_UP_THRESHOLD": int(os.environ.get("LEHC_STEP_UP_THRESHOLD", "2")),
        "TOTP_REQUIRED": _bool(os.environ.get("LEHC_TOTP_REQUIRED"), True),
        "RATELIMIT_ENABLED": _bool(os.environ.get("LEHC_RATELIMIT_ENABLED"), True),
        # Where sign-in rate limits are counted. memory:// counts in each process: with more than one server (or
        # gunicorn worker) set a Redis or Valkey URL, e.g. redis://127.0.0.1:6379/0, so N a minute is N in all.
        # Should that server be unreachable, each process counts on its own until it is back (and the database's
        # throttle, lehc.auth.throttle, counts wrong passwords whatever happens).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "lehc",
        "SIGN_IN_RATE_LIMIT": os.environ.get("LEHC_SIGN_IN_RATE_LIMIT", "20 per minute;200 per hour"),
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "SERVICE_NAME": os.environ.get("LEHC_SERVICE_NAME", "Locality Early Help Conversations"),
        # who runs the service, in the header and footer (not GOV.UK: the service does not use the GOV.UK brand)
        "ORGANISATION_NAME": os.environ.get("LEHC_ORGANISATION_NAME", "Durham County Council and partners"),
        "DEMO_PASSWORD": os.environ.get("LEHC_DEMO_PASSWORD", "early-help-demo-2026"),
        "MAIL_FROM": os.environ.get("LEHC_MAIL_FROM", "lehc@example.org"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USE_TLS": _bool(os.environ.get("SMTP_USE_TLS"), False),
        "SMTP_USE_SSL": _bool(os.environ.get("SMTP_USE_SSL"), False),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_TIMEOUT": float(os.environ.get("SMTP_TIMEOUT", "10")),
        "CONSENT_MONTHS": int(os.environ.get("LEHC_CONSENT_MONTHS", "12")),
        "CALL_ON_WINDOW_DAYS": int(os.environ.get("LEHC_CALL_ON_WINDOW_DAYS", "14")),
        # Rendered agendas kept per worker process (lehc.page_cache); 0 switches the cache off.
        "PAGE_CACHE_SIZE": int(os.environ.get("LEHC_PAGE_CACHE_SIZE", "500")),
        "PAGE_CACHE_SECONDS": int(os.environ.get("LEHC_PAGE_CACHE_SECONDS", "600")),
        # The host part of calendar UIDs and Message-IDs: make it this service's own domain.
        "CALENDAR_DOMAIN": os.environ.get("LEHC_CALENDAR_DOMAIN", "lehc.durham.example"),
        "CALENDAR_ALARM_MINUTES": int(os.environ.get("LEHC_CALENDAR_ALARM_MINUTES", "15")),  # 0: no reminder
        # The service mailbox invitations name as ORGANIZER: Accept and Decline in a calendar are sent to it, and
        # `flask run-jobs` reads them over IMAP (lehc.meetings.replies). Defaults to the address mail is sent from.
        "CALENDAR_ORGANIZER": os.environ.get(
            "LEHC_CALENDAR_ORGANIZER", parseaddr(os.environ.get("LEHC_MAIL_FROM", "lehc@example.org"))[1]
        ),
        "IMAP_HOST": os.environ.get("IMAP_HOST", ""),  # empty: replies are not read
        "IMAP_PORT": int(os.environ.get("IMAP_PORT", "993")),
        "IMAP_USE_SSL": _bool(os.environ.get("IMAP_USE_SSL"), True),  # off only for a loopback test server
        "IMAP_USERNAME": os.environ.get("IMAP_USERNAME", ""),
        "IMAP_PASSWORD": os.environ.get("IMAP_PASSWORD", ""),
        "IMAP_FOLDER": os.environ.get("IMAP_FOLDER", "INBOX"),
        # where read replies go: applied ones, and ones LEHC would not apply (for a person to look at)
        "IMAP_PROCESSED_FOLDER": os.environ.get("IMAP_PROCESSED_FOLDER", "LEHC-Processed"),
        "IMAP_UNPROCESSED_FOLDER": os.environ.get("IMAP_UNPROCESSED_FOLDER", "LEHC-Unprocessed"),
        "IMAP_MAX_BYTES": int(os.environ.get("IMAP_MAX_BYTES", str(1024 * 1024))),  # a reply is a few kilobytes
        "IMAP_TIMEOUT": float(os.environ.get("IMAP_TIMEOUT", "30")),
        "PREFERRED_URL_SCHEME": "https" if is_production else "http",
        # The address people use to reach LEHC: links in e-mails and calendars start with it.
        "BASE_URL": os.environ.get("LEHC_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"),
    }
    if env == "test":
        config["TESTING"] = True

    config.update(overrides)
    return config


def ensure_safe(config: dict) -> None:
    """Production refuses settings that switch a safeguard off."""
    if config["LEHC_ENV"] == "production" and not config.get("TOTP_REQUIRED", True):
        raise ConfigError("TOTP_REQUIRED cannot be turned off in production: every account needs a second factor")


def shared_rate_limits(config: dict) -> str | None:
    """Settings for the shared rate-limit counter; a warning to log when production counts in each process."""
    if str(config["RATELIMIT_STORAGE_URI"]).startswith("redis"):  # redis, rediss (TLS), redis+sentinel
        # a sign-in waits at most a second for the shared counter before counting in memory instead
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 1, "socket_connect_timeout": 1})
    elif config["LEHC_ENV"] == "production" and config["RATELIMIT_ENABLED"]:
        return (
            "RATELIMIT_STORAGE_URI is memory://: each server process counts sign-in attempts on its own. With more "
            "than one server or worker, set it to a Redis or Valkey URL (README, Running more than one server)."
        )
    return None


MIN_SECRET_KEY_BYTES = 32


def ensure_same_environment(config: dict, decided: str) -> None:
    """The environment is the deployment's choice (LEHC_ENV in the environment, or what the caller passed), never
    instance/config.py's: a file there saying "development" must not switch production's safeguards off."""
    if config.get("LEHC_ENV") != decided:
        raise ConfigError(
            f"LEHC_ENV is {decided!r} but instance/config.py says {config.get('LEHC_ENV')!r}: set LEHC_ENV in the "
            "environment only"
        )


def ensure_secret_key(config: dict, instance_path: Path) -> None:
    """Refuse to run production without a SECRET_KEY of at least 32 bytes; give development and tests a local
    random one."""
    key = config.get("SECRET_KEY")
    if config["LEHC_ENV"] == "production":
        if not key:
            raise ConfigError("SECRET_KEY must be set in production (a long random value, e.g. `openssl rand -hex 32`)")
        if len(key if isinstance(key, bytes) else str(key).encode()) < MIN_SECRET_KEY_BYTES:
            raise ConfigError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes in production (e.g. `openssl rand -hex 32`)"
            )
    elif not key:
        config["SECRET_KEY"] = _dev_secret_key(instance_path)
