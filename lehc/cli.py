"""Command-line tasks: `flask --app lehc <command>`."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app
from sqlalchemy import select

from lehc.audit import audit
from lehc.auth.passwords import password_problem
from lehc.auth.sessions import end_every_session
from lehc.demo import DemoDataRefused, load_demo_data
from lehc.extensions import db
from lehc.jobs import run_jobs
from lehc.locks import exclusive
from lehc.mail import send_outbox
from lehc.models import Agency, Role, User
from lehc.models.people import normalise_email
from lehc.reference_data import seed_reference_data


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_reference_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(remove_demo_accounts_command)
    app.cli.add_command(send_outbox_command)
    app.cli.add_command(run_jobs_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(retention_command)
    app.cli.add_command(restore_command)


@click.command("seed-reference")
def seed_reference_command() -> None:
    """Add any missing localities, agencies, seats and meeting kinds (safe to run again)."""
    added = seed_reference_data(db.session)
    db.session.commit()
    click.echo(", ".join(f"{count} {kind} added" for kind, count in added.items()))


@click.command("create-user")
@click.option("--name", prompt=True, help="Full name")
@click.option("--email", prompt=True, help="E-mail address used to sign in")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.MEMBER.value, show_default=True)
@click.option("--agency", "agency_name", default=None, help="Agency name, as listed by the admin pages")
@click.option("--job-title", default="", help="Job title")
@click.password_option(help="Prompted for, twice, when not given")
def create_user_command(
    name: str, email: str, role: str, agency_name: str | None, job_title: str, password: str
) -> None:
    """Create a user account (an administrator's first account, for example)."""
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    if db.session.scalar(select(User).where(User.email == normalise_email(email))):
        raise click.ClickException(f"A user with the email address {email} already exists")
    agency = None
    if agency_name:
        agency = db.session.scalar(select(Agency).where(Agency.name == agency_name))
        if agency is None:
            raise click.ClickException(f"No agency called {agency_name!r}")
    user = User(name=name, email=email, role=Role(role), agency=agency, job_title=job_title)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role} {user.email}")


@click.command("demo-data")
def demo_data_command() -> None:
    """Load fictional demo people (idempotent) and print their sign-ins."""
    if current_app.config["LEHC_ENV"] == "production":
        raise click.ClickException("demo-data is for development and test databases only (LEHC_ENV=production)")
    password = current_app.config["DEMO_PASSWORD"]
    try:
        sign_ins = load_demo_data(db.session, password)
    except DemoDataRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    db.session.commit()
    click.echo(f"\nDemo sign-ins (every account's password: {password})\n")
    widths = [max(len(str(row[i])) for row in sign_ins + [("Email", "Role", "Locality", "Seat")]) for i in range(4)]
    header = ("Email", "Role", "Locality", "Seat")
    for row in [header, tuple("-" * width for width in widths), *sign_ins]:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


@click.command("remove-demo-accounts")
def remove_demo_accounts_command() -> None:
    """Deactivate every demo account and end its sessions (production will not start while one is active)."""
    users = list(db.session.scalars(select(User).where(User.demo_account.is_(True), User.active.is_(True))))
    for user in users:
        user.active = False
        end_every_session(user)
        audit("deactivate_user", "user", user.id, detail="demo account removed by `flask remove-demo-accounts`")
    db.session.commit()
    click.echo(f"{len(users)} demo accounts deactivated")


@click.command("send-outbox")
def send_outbox_command() -> None:
    """Send queued e-mail (invites, cancellations); failures stay queued and are retried with back-off."""
    with exclusive("send-outbox") as held:
        if not held:
            click.echo("skipped: another server is sending the outbox")
            return
        report = send_outbox(current_app.config)
    click.echo(f"{report.sent} sent, {report.failed} failed, {report.waiting} waiting")
    if report.error:
        click.echo(f"Problem: {report.error}", err=True)
    for message_id in report.unbuildable:
        click.echo(f"Message {message_id} cannot be sent as it is and is marked failed (see its last_error)", err=True)


@click.command("run-jobs")
def run_jobs_command() -> None:
    """The scheduled work, every minute (README: cron or a systemd timer): read calendar replies, queue reminders,
    send the outbox. Safe on several servers at once: each job runs where it holds its lock, and is skipped
    elsewhere."""
    report = run_jobs(current_app.config)
    if report.replies is not None:
        click.echo(f"replies: {report.replies.applied} applied, {report.replies.unprocessed} left unprocessed")
        if report.replies.error:
            click.echo(f"Problem reading replies: {report.replies.error}", err=True)
    if report.reminders is not None:
        click.echo(f"reminders: {sum(report.reminders.values())} queued")
    if report.outbox is not None:
        outbox = report.outbox
        click.echo(f"outbox: {outbox.sent} sent, {outbox.failed} failed, {outbox.waiting} waiting")
        if outbox.error:
            click.echo(f"Problem sending: {outbox.error}", err=True)
    for job in report.skipped:
        click.echo(f"{job}: skipped, another server is running it")
    for failure in report.failed:
        click.echo(f"Job failed, rolled back: {failure}", err=True)


def _sqlite_path() -> str:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(
            "backup and restore work on the SQLite database; for PostgreSQL use pg_dump -Fc and pg_restore (README)"
        )
    return url.database


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup_command(path: str) -> None:
    """Copy the database to PATH while the app runs (SQLite's online backup API gives a consistent copy)."""
    import sqlite3

    source = sqlite3.connect(_sqlite_path())
    target = sqlite3.connect(path)
    with target:
        source.backup(target)
    check = target.execute("PRAGMA integrity_check").fetchone()[0]
    source.close()
    target.close()
    if check != "ok":
        raise click.ClickException(f"the copy failed its integrity check: {check}")
    click.echo(f"Backed up to {path} (integrity check: ok)")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the current database without asking")
def restore_command(path: str, yes: bool) -> None:
    """Replace the database with a backup made by `backup` (after checking the backup is sound)."""
    import sqlite3

    backup = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    check = backup.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise click.ClickException(f"the backup failed its integrity check: {check}")
    if not yes:
        click.confirm("This replaces everything in the current database. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()
    target = sqlite3.connect(_sqlite_path())
    with target:
        backup.backup(target)
        # Pages a running app cached from the replaced data must not match the restored data's version
        # (lehc.page_cache compares versions for equality): give it a new, random one.
        target.execute("UPDATE data_version SET n = ?", (secrets.randbits(62),))
    backup.close()
    target.close()
    click.echo(f"Restored from {path}")


@click.command("retention")
@click.option("--dry-run", "mode", flag_value="dry-run", default=True, help="List what is due (the default)")
@click.option("--apply", "mode", flag_value="apply", help="Anonymise and delete what is due, in one transaction")
def retention_command(mode: str) -> None:
    """Records kept longer than the retention periods: list them, or remove them irreversibly."""
    from lehc import retention
    from lehc.audit import audit

    due = retention.plan(current_app.config)
    click.echo(due.summary())
    for family in due.families:
        click.echo(f"  {family.reference} closed {family.closed_on:%-d %B %Y}")
    if mode != "apply":
        click.echo("Dry run: nothing changed. Run with --apply to remove these.")
        return
    try:
        retention.apply(due)
        audit("retention", "system", detail=due.summary())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo("Applied.")
