"""The scheduled work, run every minute by `flask --app lehc run-jobs` (cron or a systemd timer, README): read
calendar replies, queue reminders, send the outbox.

Several servers may run it at the same moment against one database. Each job runs only where it holds the job's
lock (lehc.locks); elsewhere it is skipped for that minute.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from lehc.extensions import db
from lehc.locks import exclusive
from lehc.mail import SendReport, send_outbox
from lehc.meetings.replies import ReplyReport, read_replies
from lehc.reminders import queue_reminders

logger = logging.getLogger(__name__)


@dataclass
class JobsReport:
    replies: ReplyReport | None = None
    reminders: dict[str, int] | None = None
    outbox: SendReport | None = None
    skipped: list[str] = field(default_factory=list)  # jobs another server was running
    failed: list[str] = field(default_factory=list)  # jobs that failed this time, by the kind of failure


def _reminders(config: dict) -> dict[str, int]:
    queued = {kind.value: count for kind, count in queue_reminders(config).items()}
    db.session.commit()
    return queued


def run_jobs(config: dict) -> JobsReport:
    """Each job in turn, each under its own lock: replies, then reminders, then the outbox (which sends them).
    A job that fails is rolled back and reported by the kind of failure (never its values, which may hold a
    member's note); the jobs after it still run, so a bad message or setting never stops the outbox."""
    report = JobsReport()
    jobs = [
        ("read-replies", "replies", read_replies),
        ("queue-reminders", "reminders", _reminders),
        ("send-outbox", "outbox", send_outbox),
    ]
    for name, attribute, job in jobs:
        with exclusive(name) as held:
            if not held:
                report.skipped.append(name)
                continue
            try:
                setattr(report, attribute, job(config))
            except Exception as error:  # noqa: BLE001 - one job's failure must not stop the others
                db.session.rollback()
                logger.error("job %s failed: %s", name, type(error).__name__)
                report.failed.append(f"{name}: {type(error).__name__}")
    return report
