"""Reminders, queued through the outbox by `flask run-jobs` (lehc.jobs), each kind switchable off by each person on
their profile page. A reminder names meetings, family references and dates only, never a family or a person.

- Presenters, while the agenda is still open, in the two working days before it closes (each locality's
  `agenda_deadline_days` before the meeting).
- Agency members whose agency has not answered a check, in the two working days before the meeting.
- Action owners, once a week (the first run from Monday): actions due in the coming week and overdue.
- The chair, when minutes are still unapproved five working days after the meeting, and every five working
  days after that.

Never twice for the same person, reason and day: `ReminderSent` holds a unique key on those, and each reminder
is also sent once per meeting (or week, or five working days) however often the job runs.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from lehc import policy
from lehc.actions.services import family_of
from lehc.dates import format_date, format_plain_date, to_london
from lehc.extensions import db
from lehc.mail import queue_message
from lehc.meetings.scheduling import bank_holidays
from lehc.meetings.services.agency_checks import owed_by
from lehc.models import (
    Action,
    AgencyCheck,
    AgendaItem,
    Discussion,
    Family,
    ItemKind,
    Meeting,
    MeetingStatus,
    Membership,
    ReminderKind,
    ReminderOptOut,
    ReminderSent,
    Role,
    Seat,
    User,
)
from lehc.models.people import utcnow
from lehc.urls import external_url

LEAD_WORKING_DAYS = 2  # agenda deadline and agency checks: remind in the two working days before
MINUTES_AFTER_WORKING_DAYS = 5
MINUTES_LOOKBACK_DAYS = 90  # older unapproved minutes are the governance report's business, not a daily e-mail
FOOTER = "OFFICIAL-SENSITIVE. Details are in LEHC only. Switch this reminder off on your profile page: {profile}\n"


def working_days_between(start: date, end: date) -> int:
    """Working days (not weekends or England's bank holidays) after `start` up to and including `end`; negative
    when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    holidays = bank_holidays(range(start.year, end.year + 1))
    days = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(1 for day in days if day.weekday() < 5 and day not in holidays)


class Reminders:
    """One run's reminders: who switched what off, and queueing each at most once."""

    def __init__(self, today: date) -> None:
        self.today = today
        rows = db.session.execute(select(ReminderOptOut.user_id, ReminderOptOut.kind))
        self.switched_off = {(user_id, kind) for user_id, kind in rows}
        self.counts: dict[ReminderKind, int] = defaultdict(int)

    def send(
        self, user: User, kind: ReminderKind, about: str, subject: str, body: str, meeting: Meeting | None
    ) -> None:
        if not user.active or (user.id, kind) in self.switched_off:
            return
        sent = select(ReminderSent.id).where(
            ReminderSent.user_id == user.id, ReminderSent.kind == kind, ReminderSent.subject == about
        )
        if db.session.scalar(sent) is not None:
            return
        # the job runs under a lock (lehc.jobs), and the unique key on (user, kind, subject, day) refuses a second
        # row whoever writes it: the reminder and its record commit together or not at all
        db.session.add(ReminderSent(user_id=user.id, kind=kind, subject=about, day=self.today))
        footer = FOOTER.format(profile=external_url("main.profile"))
        queue_message(
            to=user,
            subject=subject,
            body=body + "\n" + footer,
            locality=meeting.locality if meeting is not None else None,
        )
        self.counts[kind] += 1


def _meeting_name(meeting: Meeting) -> str:
    return f"{meeting.name} on {format_date(meeting.starts_at)} ({meeting.reference})"


def agenda_deadline(reminders: Reminders) -> None:
    """Presenters of items on agendas not yet published, in the two working days up to the deadline."""
    today = reminders.today
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.day > today,
            Meeting.day <= today + timedelta(days=120),
        )
        .options(selectinload(Meeting.items).joinedload(AgendaItem.presenter))
    )
    for meeting in meetings:
        closes = meeting.agenda_closes_on
        if not 0 <= working_days_between(today, closes) <= LEAD_WORKING_DAYS or closes < today:
            continue
        presented: dict[int, list[AgendaItem]] = defaultdict(list)
        for item in meeting.items:
            if item.kind is ItemKind.DISCUSSION and item.presenter is not None:
                presented[item.presenter.id].append(item)
        for items in presented.values():
            presenter = items[0].presenter
            listed = "\n".join(f"- {item.calendar_label}" for item in items)
            reminders.send(
                presenter,
                ReminderKind.AGENDA_DEADLINE,
                f"meeting-{meeting.id}",
                f"Reminder: the agenda for {meeting.name} closes {format_plain_date(closes)}",
                f"The agenda for the {_meeting_name(meeting)} closes on {format_plain_date(closes)}.\n\n"
                f"You present:\n{listed}\n\nPlease make sure each item's summary and consent are ready in LEHC:\n"
                f"{external_url('meetings.view_meeting', meeting_id=meeting.id)}\n",
                meeting,
            )


def agency_checks(reminders: Reminders, window_days: int) -> None:
    """Members whose agency has not answered a check, in the two working days before the meeting."""
    today = reminders.today
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.status == MeetingStatus.AGENDA_PUBLISHED,
            Meeting.day > today,
            Meeting.day <= today + timedelta(days=7),
            exists().where(
                AgencyCheck.answer.is_(None), AgendaItem.id == AgencyCheck.item_id, AgendaItem.meeting_id == Meeting.id
            ),
        )
    ).all()
    for meeting in meetings:
        if not 0 < working_days_between(today, meeting.day) <= LEAD_WORKING_DAYS:
            continue
        unanswered = (
            select(AgencyCheck.agency_id)
            .join(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id, AgencyCheck.answer.is_(None))
        )
        answers_for = policy.member_agency_column()
        members = db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .outerjoin(Seat, Seat.id == Membership.seat_id)
            .where(Membership.locality_id == meeting.locality_id, User.active.is_(True), answers_for.in_(unanswered))
            .distinct()
        )
        for member in members:
            owed = owed_by(member, [meeting], today, window_days)
            if not owed:
                continue
            listed = "\n".join(f"- {check.item.calendar_label}" for check in owed)
            reminders.send(
                member,
                ReminderKind.AGENCY_CHECKS,
                f"meeting-{meeting.id}",
                f"Reminder: {len(owed)} agency check{'s' if len(owed) != 1 else ''} before "
                f"{meeting.name}, {format_plain_date(meeting.day)}",
                f"Your agency has not yet said whether it knows {'these families' if len(owed) > 1 else 'this family'} "
                f"on the agenda of the {_meeting_name(meeting)}:\n{listed}\n\nAnswer in LEHC:\n"
                f"{external_url('meetings.agency_checks_page', meeting_id=meeting.id)}\n",
                meeting,
            )


def actions_digest(reminders: Reminders) -> None:
    """Once a week, from Monday: each owner's open actions due in the coming week and those overdue. Only owners
    not yet sent this week's digest are read, so the runs after the first in a week cost one small query."""
    today = reminders.today
    year, week, _ = today.isocalendar()
    about = f"week-{year}-W{week:02d}"
    due = (
        Action.owner_id.is_not(None),
        Action.is_open(),
        Action.due_on <= today + timedelta(days=7),
    )
    waiting = (
        select(Action.owner_id)
        .where(*due)
        .where(
            ~exists().where(
                ReminderSent.user_id == Action.owner_id,
                ReminderSent.kind == ReminderKind.ACTIONS_DIGEST,
                ReminderSent.subject == about,
            ),
            ~exists().where(
                ReminderOptOut.user_id == Action.owner_id, ReminderOptOut.kind == ReminderKind.ACTIONS_DIGEST
            ),
        )
        .distinct()
    )
    owners = list(db.session.scalars(waiting))
    if not owners:
        return
    actions = db.session.scalars(
        select(Action)
        .where(*due, Action.owner_id.in_(owners))
        .order_by(Action.due_on, Action.id)
        .options(
            joinedload(Action.owner),
            joinedload(Action.meeting),  # the item's meeting, from the identity map (consent on its date)
            selectinload(Action.discussion)
            .selectinload(Discussion.item)
            .selectinload(AgendaItem.family)
            .selectinload(Family.consents),  # whether the item is anonymous (family_of)
        )
    )
    by_owner: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_owner[action.owner_id].append(action)
    for owned in by_owner.values():
        overdue = [action for action in owned if action.due_on < today]
        coming = [action for action in owned if action.due_on >= today]
        lines = []
        for heading, group in (("Overdue", overdue), ("Due in the coming week", coming)):
            if group:
                lines.append(f"{heading}:")
                lines += [f"- {family_of(a, today)}, due {format_plain_date(a.due_on)}" for a in group]
                lines.append("")
        reminders.send(
            owned[0].owner,
            ReminderKind.ACTIONS_DIGEST,
            about,
            f"Your LEHC actions: {len(overdue)} overdue, {len(coming)} due this week",
            "\n".join(lines) + f"\nSee and update them in LEHC:\n{external_url('actions.tracker', scope='mine')}\n",
            None,
        )


def minutes_unapproved(reminders: Reminders) -> None:
    """The locality's chairs, five working days after a meeting whose minutes are not approved, and every five
    working days after that."""
    today = reminders.today
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.status.in_([MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD]),
            Meeting.day < today,
            Meeting.day >= today - timedelta(days=MINUTES_LOOKBACK_DAYS),
        )
    ).all()
    for meeting in meetings:
        since = working_days_between(meeting.day, today)
        if since < MINUTES_AFTER_WORKING_DAYS:
            continue
        chairs = db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.locality_id == meeting.locality_id, User.role == Role.CHAIR, User.active.is_(True))
        )
        for chair in chairs:
            reminders.send(
                chair,
                ReminderKind.MINUTES_UNAPPROVED,
                f"meeting-{meeting.id}-{since // MINUTES_AFTER_WORKING_DAYS}",
                f"Reminder: minutes of {meeting.name}, {format_plain_date(meeting.day)}, are not approved",
                f"The minutes of the {_meeting_name(meeting)} are not approved yet, {since} working days after "
                f"the meeting.\n\nCheck and approve them in LEHC:\n"
                f"{external_url('minutes.view_minutes', meeting_id=meeting.id)}\n",
                meeting,
            )


def queue_reminders(config: dict, today: date | None = None) -> dict[ReminderKind, int]:
    """Queue every reminder due today (London's date); the caller commits."""
    reminders = Reminders(today or to_london(utcnow()).date())
    agenda_deadline(reminders)
    agency_checks(reminders, config["CALL_ON_WINDOW_DAYS"])
    if reminders.today.weekday() < 5:
        actions_digest(reminders)
    minutes_unapproved(reminders)
    return dict(reminders.counts)
