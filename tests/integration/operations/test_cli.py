from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from lehc import page_cache
from lehc.demo import DemoDataRefused, refuse_demo_accounts_in_production
from lehc.meetings.services import invitees
from lehc.models import (
    FORUM,
    STEP,
    Agency,
    Locality,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipKind,
    MinutesVersion,
    Role,
    SchoolTerm,
    Seat,
    User,
)
from lehc.terms import term_of
from tests.conftest import make_test_app


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_seed_reference_adds_nothing_twice(runner, db):
    # the app fixture has seeded once already
    result = runner.invoke(args=["seed-reference"])
    assert result.exit_code == 0
    assert result.output.strip() == (
        "0 localities added, 0 agencies added, 0 seats added, 0 meeting kinds added, 0 kind seats added, 0 areas added"
    )
    assert db.session.scalar(select(func.count(Locality.id))) == 7
    kinds = Counter(db.session.scalars(select(Seat.kind)))
    assert kinds == {MembershipKind.CORE: 9, MembershipKind.CALL_ON: 7}
    assert db.session.scalar(select(func.count(Agency.id))) >= 14


def test_seed_reference_keeps_an_admins_renamed_locality(runner, db, factories):
    factories.locality("TEE").name = "Teesdale and Weardale"
    db.session.commit()
    runner.invoke(args=["seed-reference"])
    names = set(db.session.scalars(select(Locality.name)))
    assert "Teesdale and Weardale" in names and "Teesdale" not in names


def test_create_user_prompts_for_the_password_and_creates_the_account(runner, db):
    result = runner.invoke(
        args=[
            "create-user",
            "--name",
            "Alex Admin",
            "--email",
            "Alex@Example.org",
            "--role",
            "admin",
            "--agency",
            "CAMHS",
        ],
        input="a very long password\na very long password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "alex@example.org"))
    assert user.role is Role.ADMIN and user.agency.name == "CAMHS"
    assert user.check_password("a very long password")


def test_create_user_refuses_short_passwords_and_duplicate_emails(runner, factories):
    short = runner.invoke(args=["create-user", "--name", "A", "--email", "a@example.org"], input="short\nshort\n")
    assert short.exit_code != 0 and "12 characters or more" in short.output
    factories.user(email="dup@example.org")
    dup = runner.invoke(
        args=["create-user", "--name", "B", "--email", "DUP@example.org", "--password", "long enough password"]
    )
    assert dup.exit_code != 0 and "already exists" in dup.output


def test_demo_data_is_idempotent_and_seats_every_role_in_every_locality(runner, db, monkeypatch):
    first = runner.invoke(args=["demo-data"])
    counts = (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Membership.id))))
    second = runner.invoke(args=["demo-data"])
    assert first.exit_code == second.exit_code == 0
    assert counts == (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Membership.id))),
    )
    assert "chair.durham@example.org" in first.output and "early-help-demo-2026" in first.output
    for locality in db.session.scalars(select(Locality)):
        members = db.session.scalars(select(Membership).where(Membership.locality_id == locality.id)).all()
        roles = {m.user.role for m in members}
        assert {Role.CHAIR, Role.COORDINATOR} <= roles
        assert any(m.kind is MembershipKind.CORE and m.user.role is Role.MEMBER for m in members)
        assert any(m.kind is MembershipKind.CALL_ON for m in members)
    # one Early Help Forum per area this term, its agenda of presentations published (twice run: still one), and
    # the first area's forum of last term, held, its minutes waiting for the chair
    terms = db.session.scalars(select(SchoolTerm).order_by(SchoolTerm.starts_on)).all()
    this = next(term for term in terms if term.ends_on >= date.today())
    forums = db.session.scalars(select(Meeting).where(Meeting.kind_code == FORUM).order_by(Meeting.starts_at)).all()
    current = [forum for forum in forums if this.starts_on <= forum.day <= this.ends_on]
    assert sorted(forum.area.name for forum in current) == ["Central and East Durham", "North Durham", "South Durham"]
    assert all(forum.is_published and sum(item.is_presentation for item in forum.items) == 3 for forum in forums)
    [held] = [forum for forum in forums if forum not in current]
    assert held.area.name == "Central and East Durham" and held.status is MeetingStatus.HELD
    assert term_of(held.day).ends_on < date.today()
    # every locality's weekly step meetings invite its Children's Social Care team manager (a call-on seat at the
    # LEHC); Sedgefield's last held step meeting waits for its minutes, every other held one is approved
    held_steps = db.session.scalars(
        select(Meeting).where(
            Meeting.kind_code == STEP, Meeting.status.in_([MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED])
        )
    ).all()
    waiting = [m for m in held_steps if m.status is MeetingStatus.HELD]
    assert [(m.locality.code, len(m.items)) for m in waiting] == [("SED", 3)]
    assert not db.session.scalar(select(MinutesVersion.id).filter_by(meeting_id=waiting[0].id))
    assert waiting[0].starts_at == max(m.starts_at for m in held_steps if m.locality.code == "SED")
    for locality in db.session.scalars(select(Locality)):
        step = next(m for m in held_steps if m.locality_id == locality.id)
        seats = {invitee.user.email.split(".")[0] for invitee in invitees(step) if invitee.whole_meeting}
        assert seats == {"chair", "socialcare"}, locality.code  # no demo advisor: the seats the demo people hold


def test_demo_data_uses_lehc_demo_password(database_url, app, db, monkeypatch):
    monkeypatch.setenv("LEHC_DEMO_PASSWORD", "another demo password")
    other = make_test_app(database_url)
    with other.app_context():  # the command runs in the innermost app context
        result = other.test_cli_runner().invoke(args=["demo-data"])
    assert "another demo password" in result.output
    db.session.expire_all()
    # every demo account was given the one hash of the new password, worked out once for the run
    [shared] = set(db.session.scalars(select(User.password_hash).where(User.demo_account.is_(True))))
    chair = db.session.scalar(select(User).where(User.email == "chair.durham@example.org"))
    assert chair.password_hash == shared and chair.check_password("another demo password")
    assert not chair.check_password(app.config["DEMO_PASSWORD"])


def test_demo_data_refuses_to_run_in_production(database_url, app):
    production = make_test_app(database_url, LEHC_ENV="production", TOTP_REQUIRED=True)
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0 and "development and test databases only" in result.output


def test_demo_data_refuses_a_database_with_real_accounts(runner, db, factories):
    factories.user(Role.CHAIR, locality="DUR")  # a real person
    db.session.commit()
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code != 0 and "has real accounts" in result.output
    assert db.session.scalar(select(func.count(User.id)).where(User.demo_account.is_(True))) == 0


def test_production_refuses_to_start_while_demo_accounts_are_active(database_url, runner, db):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    production = make_test_app(database_url, LEHC_ENV="production", TOTP_REQUIRED=True)
    with pytest.raises(DemoDataRefused, match="demo accounts are active"):
        refuse_demo_accounts_in_production(production)
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["remove-demo-accounts"])
    assert result.exit_code == 0 and "demo accounts deactivated" in result.output
    refuse_demo_accounts_in_production(production)  # starts now
    db.session.expire_all()
    assert not db.session.scalar(select(func.count(User.id)).where(User.demo_account.is_(True), User.active.is_(True)))


def test_backup_while_running_and_restore(app, db, runner, factories, tmp_path, database_backend):
    if database_backend != "sqlite":
        result = runner.invoke(args=["backup", str(tmp_path / "x.db")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    factories.user(email="before@example.org")
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0 and "integrity check: ok" in result.output
    backed_up = page_cache.current_version(db.session)
    factories.user(email="after@example.org")
    replaced = page_cache.current_version(db.session)
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    emails = set(db.session.scalars(select(User.email)))
    assert "before@example.org" in emails and "after@example.org" not in emails
    # pages cached from either the replaced data or the backup's past cannot match the restored data
    assert page_cache.current_version(db.session) not in {backed_up, replaced}


def test_restore_refuses_a_damaged_backup(runner, tmp_path, database_backend):
    if database_backend != "sqlite":
        pytest.skip("SQLite backups")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code != 0
