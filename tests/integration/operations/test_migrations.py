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


def test_each_database_runs_with_its_connection_settings(empty_app, database_backend):
    """SQLite: write-ahead log, a busy timeout and foreign keys. PostgreSQL: no JIT compilation, still off after a
    rollback, whatever the server's own default."""
    with db.engine.connect() as connection:
        if database_backend == "sqlite":
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
            return
        assert connection.execute(text("SHOW jit")).scalar() == "off"
        connection.rollback()
        assert connection.execute(text("SHOW jit")).scalar() == "off"
        assert connection.execute(text("SELECT reset_val FROM pg_settings WHERE name = 'jit'")).scalar() == "off"


def _decision_check() -> str:
    """The CHECK constraint on the decisions a discussion may record, as the database holds it."""
    checks = inspect(db.engine).get_check_constraints("discussion")
    return next(check["sqltext"] for check in checks if check["name"] == "ck_discussion_decision")


def test_meetings_from_before_meeting_kinds_become_lehcs_and_come_back_on_downgrade(empty_app):
    """Migration f5a6b7c8d9e0 on a database holding meetings and a series: each becomes an LEHC, with the standing
    items the LEHC always had, and a downgrade gives the same rows back. a7b8c9d0e1f2 gives the LEHC its settings
    as they were, and lets a discussion record a step down."""
    upgrade(revision="e4f5a6b7c8d9")
    with db.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO locality (id, code, name, agenda_deadline_days) VALUES (1, 'DUR', 'Durham', 7)")
        )
        connection.execute(
            text(
                "INSERT INTO meeting_series (id, locality_id, frequency, weekday, start_time, duration_minutes, "
                "first_date, venue, online_link, created_at) VALUES (1, 1, 'fortnightly', 2, '09:30:00', 120, "
                "'2026-12-02', 'Hub', '', '2026-11-01 09:00:00')"
            )
        )
        for number, day in ((1, "2026-11-18"), (2, "2026-12-02")):
            connection.execute(
                text(
                    "INSERT INTO meeting (id, locality_id, series_id, starts_at, day, ends_at, venue, online_link, "
                    "status, cancelled_reason, uid, sequence, minutes_notes, declarations, amendment_reason, version) "
                    f"VALUES ({number}, 1, 1, '{day} 09:30:00', '{day}', '{day} 11:30:00', 'Hub', '', 'scheduled', "
                    f"'', 'uid-{number}', 0, '', '', '', 1)"
                )
            )
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT id, kind_code FROM meeting ORDER BY id")).all() == [
            (1, "lehc"),
            (2, "lehc"),
        ]
        assert connection.execute(text("SELECT kind_code FROM meeting_series")).scalar() == "lehc"
        assert connection.execute(text("SELECT short_name FROM meeting_kind")).all() == [("LEHC",)]
        assert connection.execute(
            text("SELECT title, duration_minutes FROM meeting_kind_item ORDER BY position")
        ).all() == [("Welcome, introductions and apologies", 5), ("Review of actions from the last meeting", 10)]
        # a7b8c9d0e1f2: the LEHC keeps every decision it offered, in order, and its documents' titles
        assert connection.execute(
            text("SELECT discusses_families, default_frequency, minutes_title FROM meeting_kind")
        ).one() == (True, "fortnightly", "Locality Early Help Conversation: minutes")
        assert connection.execute(
            text("SELECT decision FROM meeting_kind_decision WHERE kind_code = 'lehc' ORDER BY position")
        ).scalars().all() == ["advice", "universal", "taf", "step_up", "social_care", "review", "nfa"]
    assert "'step_down'" in _decision_check()
    downgrade(revision="f5a6b7c8d9e0")
    assert "'step_down'" not in _decision_check() and "'review'" in _decision_check()
    assert "minutes_title" not in {column["name"] for column in inspect(db.engine).get_columns("meeting_kind")}
    downgrade(revision="e4f5a6b7c8d9")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT id, venue FROM meeting ORDER BY id")).all() == [(1, "Hub"), (2, "Hub")]
        assert "kind_code" not in {column["name"] for column in inspect(db.engine).get_columns("meeting")}
        assert "meeting_kind" not in inspect(db.engine).get_table_names()
    downgrade(revision="base")


def test_a_step_meeting_kind_seeded_before_seats_gets_its_default_seats(empty_app):
    """b8c9d0e1f2a3 on a database where seed-reference had added the step meeting kind: it gets the Family Hub Team
    Manager and Early Help Advisor seats, and a downgrade drops the table."""
    upgrade(revision="a7b8c9d0e1f2")
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO agency (id, name, sector) VALUES (1, 'One Point', 'council')"))
        for number, name, kind in (
            (1, "Family Hub Team Manager", "core"),
            (2, "CAMHS", "core"),
            (3, "One Point Early Help Advisor", "core"),
        ):
            connection.execute(
                text(
                    "INSERT INTO seat (id, name, kind, position, agency_id) "
                    f"VALUES ({number}, '{name}', '{kind}', {number}, 1)"
                )
            )
        connection.execute(
            text(
                "INSERT INTO meeting_kind (code, name, short_name, discusses_families, records_moves, "
                "default_frequency, agenda_title, minutes_title) VALUES ('step', 'Step up and step down meeting', "
                "'step up / step down', true, true, 'weekly', '', '')"
            )
        )
    upgrade(revision="b8c9d0e1f2a3")
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT kind_code, locality_id, seat_id FROM kind_seat ORDER BY seat_id"))
        assert rows.all() == [("step", None, 1), ("step", None, 3)]
    downgrade(revision="a7b8c9d0e1f2")
    assert "kind_seat" not in inspect(db.engine).get_table_names()
    downgrade(revision="base")


def test_the_childrens_social_care_seat_joins_the_step_meetings_default_and_leaves_a_localitys_own(empty_app):
    """e1f2a3b4c5d6 on a database with the step meeting's default seats and one locality's own choice: the agency
    and the call-on seat are added, the seat joins the default only; a downgrade takes it off the kind and keeps the
    seat (members may hold it). A new database gets nothing here: seed-reference adds the seat in its place."""
    upgrade(revision="e1f2a3b4c5d6")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM agency")).scalar_one() == 0
        assert connection.execute(text("SELECT count(*) FROM seat")).scalar_one() == 0
    downgrade(revision="d0e1f2a3b4c5")
    with db.engine.begin() as connection:
        # ids far from where the sequences start (PostgreSQL's do not move for explicit ids)
        connection.execute(text("INSERT INTO agency (id, name, sector) VALUES (101, 'One Point', 'council')"))
        connection.execute(
            text("INSERT INTO seat (id, name, kind, position, agency_id) VALUES (101, 'Chair', 'core', 7, 101)")
        )
        connection.execute(text("INSERT INTO locality (id, code, name) VALUES (1, 'DUR', 'Durham')"))
        connection.execute(
            text(
                "INSERT INTO meeting_kind (code, name, short_name, discusses_families, records_moves, meets_per_area,"
                " default_frequency, agenda_title, minutes_title) VALUES ('step', 'Step up and step down meeting', "
                "'step up / step down', true, true, false, 'weekly', '', '')"
            )
        )
        connection.execute(text("INSERT INTO kind_seat (kind_code, locality_id, seat_id) VALUES ('step', NULL, 101)"))
        connection.execute(text("INSERT INTO kind_seat (kind_code, locality_id, seat_id) VALUES ('step', 1, 101)"))
    upgrade(revision="e1f2a3b4c5d6")
    with db.engine.begin() as connection:
        seat = connection.execute(
            text(
                "SELECT seat.id, seat.kind, seat.position, agency.name, agency.sector FROM seat JOIN agency "
                "ON agency.id = seat.agency_id WHERE seat.name = 'Children''s Social Care Team Manager'"
            )
        ).one()
        assert seat[1:] == ("call_on", 8, "Children's Social Care", "council")
        rows = connection.execute(text("SELECT locality_id, seat_id FROM kind_seat ORDER BY locality_id, seat_id"))
        assert sorted(rows.all(), key=str) == sorted([(None, 101), (None, seat.id), (1, 101)], key=str)
    downgrade(revision="d0e1f2a3b4c5")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT seat_id FROM kind_seat ORDER BY seat_id")).scalars().all() == [101, 101]
        assert connection.execute(text("SELECT count(*) FROM seat")).scalar_one() == 2  # reference data stays
    downgrade(revision="base")


def test_the_forums_migrations_keep_every_meeting_and_a_downgrade_keeps_a_forums_items(empty_app):
    """c9d0e1f2a3b4 and d0e1f2a3b4c5 on a database with an LEHC: nothing about it changes. At the head a forum
    meets once a term with a presentation, a guest and a mailing list; a downgrade keeps the meeting (as its host
    locality's) and its presentation (as a standing item, title and time kept), and drops the rest."""
    upgrade(revision="b8c9d0e1f2a3")
    with db.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO locality (id, code, name, agenda_deadline_days) VALUES (1, 'DUR', 'Durham', 7)")
        )
        connection.execute(
            text(
                "INSERT INTO meeting (id, locality_id, starts_at, day, ends_at, venue, online_link, status, "
                "cancelled_reason, uid, sequence, minutes_notes, declarations, amendment_reason, version, kind_code) "
                "VALUES (1, 1, '2026-12-02 09:30:00', '2026-12-02', '2026-12-02 11:30:00', 'Hub', '', 'scheduled', "
                "'', 'uid-1', 0, '', '', '', 1, 'lehc')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO agenda_item (id, meeting_id, position, kind, title, reference, duration_minutes, uid, "
                "sequence, version) VALUES (1, 1, 1, 'standing', 'Welcome', '', 5, 'item-1', 0, 1)"
            )
        )
    upgrade()
    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT area_id FROM meeting")).all() == [(None,)]
        assert connection.execute(text("SELECT kind, presenter_name FROM agenda_item")).all() == [("standing", "")]
        connection.execute(text("INSERT INTO area (id, name) VALUES (1, 'Central and East Durham')"))
        connection.execute(text("UPDATE locality SET area_id = 1"))
        connection.execute(
            text(
                "INSERT INTO meeting_kind (code, name, short_name, discusses_families, records_moves, "
                "default_frequency, agenda_title, minutes_title, meets_per_area) VALUES ('forum', "
                "'Early Help Forum', 'Early Help Forum', false, false, 'termly', '', '', true)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO meeting (id, locality_id, area_id, starts_at, day, ends_at, venue, online_link, status, "
                "cancelled_reason, uid, sequence, minutes_notes, declarations, amendment_reason, version, kind_code) "
                "VALUES (2, 1, 1, '2026-12-14 15:00:00', '2026-12-14', '2026-12-14 16:30:00', 'Hall', '', 'held', "
                "'', 'uid-2', 0, '', '', '', 1, 'forum')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO agenda_item (id, meeting_id, position, kind, title, reference, duration_minutes, uid, "
                "sequence, version, presenter_name, presenter_organisation) VALUES (2, 2, 1, 'presentation', "
                "'School nursing', '', 30, 'item-2', 0, 1, 'Sam Lee', 'Harbour')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO forum_contact (id, area_id, email, name, organisation, sector, unsubscribe_token, "
                "added_at) VALUES (1, 1, 'sam@harbour.example', '', 'Harbour', 'voluntary', 'token', "
                "'2026-11-30 09:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO guest_attendance (id, meeting_id, name, organisation, sector, recorded_at) "
                "VALUES (1, 2, '', 'Seaham School', 'education', '2026-12-14 16:00:00')"
            )
        )
    downgrade(revision="b8c9d0e1f2a3")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT id, locality_id, kind_code FROM meeting ORDER BY id")).all() == [
            (1, 1, "lehc"),
            (2, 1, "forum"),
        ]
        assert connection.execute(text("SELECT kind, title, duration_minutes FROM agenda_item ORDER BY id")).all() == [
            ("standing", "Welcome", 5),
            ("standing", "School nursing", 30),
        ]
        assert connection.execute(text("SELECT default_frequency FROM meeting_kind WHERE code = 'forum'")).scalar() == (
            "monthly"
        )
    tables = set(inspect(db.engine).get_table_names())
    assert not {"area", "school_term", "forum_contact", "guest_attendance"} & tables
    downgrade(revision="base")
