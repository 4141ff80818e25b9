"""`flask --app lehc run-jobs` as cron or a systemd timer runs it: two processes started at once against one database
(PostgreSQL in CI, an SQLite file here too) send each queued message once and queue each reminder once."""

import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from lehc.mail import queue_message
from lehc.meetings import services
from lehc.models import Action, MeetingStatus, OutboxMessage, OutboxStatus, ReminderSent, Role

QUEUED = 30


def run_jobs_process(database_url: str, smtp_port: int, imap_config: dict) -> subprocess.Popen:
    env = {
        **os.environ,
        "LEHC_ENV": "test",
        "SECRET_KEY": "test-secret-key-at-least-32-bytes-long",
        "DATABASE_URL": database_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "IMAP_HOST": imap_config["IMAP_HOST"],
        "IMAP_PORT": str(imap_config["IMAP_PORT"]),
        "IMAP_USE_SSL": "false",
        "IMAP_USERNAME": imap_config["IMAP_USERNAME"],
        "IMAP_PASSWORD": imap_config["IMAP_PASSWORD"],
    }
    command = [sys.executable, "-m", "flask", "--app", "lehc", "run-jobs"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_run_jobs_at_once_send_each_message_once(app, db, factories, smtp, imap_server, database_url):
    owner = factories.user(Role.MEMBER, seat="Health")
    factories.user(Role.CHAIR, seat="Chair")
    meeting = factories.meeting("DUR", day=date.today() - timedelta(days=30))
    services.publish_agenda(meeting, meeting.organiser)  # held a month ago, minutes never approved: a reminder
    meeting.status = MeetingStatus.HELD
    for number in range(QUEUED):
        queue_message(to=owner, subject=f"Message {number}", body="Hello")
    db.session.add(Action(meeting=meeting, description="Book the room", owner=owner, due_on=date.today()))
    db.session.commit()
    smtp.inbox.delay = 0.1  # a busy mail server: sending takes seconds, so the two runs overlap

    first = run_jobs_process(database_url, smtp.port, imap_server.config())
    second = run_jobs_process(database_url, smtp.port, imap_server.config())
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0], outputs
    # what one run queued while the other was sending goes with the next minute's run
    smtp.inbox.delay = 0
    third = run_jobs_process(database_url, smtp.port, imap_server.config())
    assert third.wait(timeout=120) == 0

    sent = Counter(str(message["Message-ID"]) for message in smtp.messages)
    assert sent and max(sent.values()) == 1, "a message was sent twice"
    subjects = Counter(str(message["Subject"]) for message in smtp.messages)
    assert all(subjects[f"Message {number}"] == 1 for number in range(QUEUED))
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)) == 0
    # the chair's minutes reminder every day, the owner's digest on a working day: each queued and sent once
    reminders = [s for s in subjects if s.startswith(("Reminder", "Your LEHC actions"))]
    assert any(s.startswith("Reminder: minutes of Durham LEHC") for s in reminders)
    assert all(subjects[subject] == 1 for subject in reminders)
    assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == len(reminders)
    # the runs overlapped: one of them found the outbox being sent and left it
    stdout = "".join(out for out, _ in outputs)
    assert stdout.count("send-outbox: skipped, another server is running it") == 1, outputs
