"""The scheduled work, run every minute by `flask --app lehc run-jobs` (cron or a systemd timer, README): read
calendar replies, queue reminders, send the outbox.

Several servers may run it at the same moment against one database. Each job runs only where it holds the job's
lock (lehc.locks); elsewhere it is skipped for that minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lehc.extensions import db
from lehc.locks import exclusive
from lehc.mail import SendReport, send_outbox
from lehc.meetings.replies import ReplyReport, read_replies
from lehc.reminders import queue_reminders


@dataclass
class JobsReport:
    replies: ReplyReport | None = None
    reminders: dict[str, int] | None = None
    outbox: SendReport | None = None
    skipped: list[str] = field(default_factory=list)  # jobs another server was running


def run_jobs(config: dict) -> JobsReport:
    """Each job in turn, each under its own lock: replies, then reminders, then the outbox (which sends them)."""
    report = JobsReport()
    with exclusive("read-replies") as held:
        if held:
            report.replies = read_replies(config)
        else:
            report.skipped.append("read-replies")
    with exclusive("queue-reminders") as held:
        if held:
            report.reminders = {kind.value: count for kind, count in queue_reminders(config).items()}
            db.session.commit()
        else:
            report.skipped.append("queue-reminders")
    with exclusive("send-outbox") as held:
        if held:
            report.outbox = send_outbox(config)
        else:
            report.skipped.append("send-outbox")
    return report
