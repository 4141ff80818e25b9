"""The Alembic migrations build, from an empty database, exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from lehc.extensions import db
from tests.conftest import make_test_app


@pytest.fixture
def empty_app(database_url):
    app = make_test_app(database_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrade_removes_everything(empty_app):
    assert inspect(db.engine).get_table_names() == []
    upgrade()
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
    assert {"user_account", "membership", "locality", "agency", "seat"} <= set(inspect(db.engine).get_table_names())
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_sqlite_runs_with_wal_a_busy_timeout_and_foreign_keys(empty_app, database_backend):
    if database_backend != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
