import pytest

from lehc import create_app
from lehc.config import ConfigError


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("LEHC_INSTANCE_PATH", str(tmp_path))
    for name in ("SECRET_KEY", "DATABASE_URL", "LEHC_ENV", "LEHC_DEMO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_production_is_the_default_and_refuses_to_start_without_a_secret_key(instance):
    with pytest.raises(ConfigError, match="SECRET_KEY must be set in production"):
        create_app()


def test_production_starts_with_a_secret_key_and_secure_cookies(instance, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = create_app()
    assert app.config["LEHC_ENV"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_unknown_environment_is_refused(instance, monkeypatch):
    monkeypatch.setenv("LEHC_ENV", "staging")
    with pytest.raises(ConfigError, match="LEHC_ENV must be one of"):
        create_app()


def test_development_gets_a_persistent_local_secret_key_and_sqlite_in_instance(instance, monkeypatch):
    monkeypatch.setenv("LEHC_ENV", "development")
    first = create_app()
    second = create_app()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'lehc.db'}"
    assert first.config["SESSION_COOKIE_SECURE"] is False


def test_database_url_from_the_environment_is_used(instance, monkeypatch):
    monkeypatch.setenv("LEHC_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://lehc@127.0.0.1:5432/lehc")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://lehc@127.0.0.1:5432/lehc"


def test_instance_config_file_overrides_the_environment_and_explicit_config_overrides_both(instance, monkeypatch):
    monkeypatch.setenv("LEHC_ENV", "development")
    monkeypatch.setenv("LEHC_DEMO_PASSWORD", "from-the-environment")
    (instance / "config.py").write_text('DEMO_PASSWORD = "from-the-instance-file"\nSERVICE_NAME = "LEHC Durham"\n')
    app = create_app()
    assert app.config["DEMO_PASSWORD"] == "from-the-instance-file"
    assert create_app({"SERVICE_NAME": "Explicit"}).config["SERVICE_NAME"] == "Explicit"


def test_an_instance_config_file_cannot_switch_production_to_development(instance, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    (instance / "config.py").write_text('LEHC_ENV = "development"\n')
    with pytest.raises(ConfigError, match="set LEHC_ENV in the environment only"):
        create_app()


@pytest.mark.parametrize("key, starts", [("x" * 31, False), ("x" * 32, True), ("£" * 16, True)])
def test_production_needs_a_secret_key_of_at_least_32_bytes(instance, monkeypatch, key, starts):
    monkeypatch.setenv("SECRET_KEY", key)
    if starts:
        assert create_app().config["SECRET_KEY"] == key
    else:
        with pytest.raises(ConfigError, match="at least 32 bytes"):
            create_app()


def test_a_short_secret_key_in_the_instance_file_is_refused_too(instance, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    (instance / "config.py").write_text('SECRET_KEY = "short"\n')
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        create_app()


def test_production_warns_when_sign_in_limits_are_counted_in_each_process(instance, monkeypatch, caplog):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    create_app()
    assert "each server process counts sign-in attempts on its own" in caplog.text


def test_a_redis_url_is_used_for_the_sign_in_limits_with_short_timeouts(instance, monkeypatch, caplog):
    from lehc.extensions import limiter

    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    app = create_app()
    assert "counts sign-in attempts on its own" not in caplog.text
    assert app.config["RATELIMIT_STORAGE_OPTIONS"] == {"socket_timeout": 1, "socket_connect_timeout": 1}
    # the app's setting decides where the limiter counts (an argument to Limiter() once overrode it)
    assert type(limiter.storage).__name__ == "RedisStorage"
