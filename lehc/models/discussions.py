"""What a discussion records: the Signs of Wellbeing mapping, scaling scores, the decision and actions."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ColumnElement, Connection, Date, ForeignKey, Index, String, Text, bindparam, event, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lehc.extensions import db
from lehc.models.families import Family
from lehc.models.meetings import AgendaItem, Meeting
from lehc.models.people import User, utcnow
from lehc.models.reference import Agency, enum_column
from lehc.models.types import UTCDateTime

SCALING_QUESTION = (
    "On a scale of 0 to 10, where 10 means everyone is confident the family has what it needs and 0 means "
    "things are so worrying that a referral to children's social care is needed, where do we rate this?"
)

# (field name, column heading, label) in the order of the three columns
MAPPING_FIELDS = [
    ("worries", "What are we worried about?", "Worries and past harm"),
    ("worry_statement", "What are we worried about?", "Worry (danger) statement"),
    ("complicating_factors", "What are we worried about?", "Complicating factors"),
    ("strengths", "What's working well?", "Existing strengths"),
    ("existing_wellbeing", "What's working well?", "Existing safety and wellbeing"),
    ("wellbeing_goals", "What needs to happen?", "Wellbeing (safety) goals"),
    ("next_steps", "What needs to happen?", "Next steps"),
]


class Decision(enum.StrEnum):
    ADVICE = "advice"
    UNIVERSAL = "universal"
    TAF = "taf"
    STEP_UP = "step_up"
    SOCIAL_CARE = "social_care"
    STEP_DOWN = "step_down"
    REVIEW = "review"
    NO_FURTHER_ACTION = "nfa"

    @property
    def label(self) -> str:
        return {
            "advice": "Advice and signposting",
            "universal": "Universal or community support",
            "taf": "Team Around the Family with a lead practitioner",
            "step_up": "Step up to Intensive Family Support",
            "social_care": "Referral to Children's Social Care",
            "step_down": "Step down to early help with a lead practitioner",
            "review": "Bring back to the LEHC for review",
            "nfa": "No further action",
        }[self.value]


class MeetingKindDecision(db.Model):
    """A decision a kind's discussions can record (a step up / step down meeting steps families up or down; an LEHC
    offers advice, a Team Around the Family, review...), in the order the form offers them."""

    __tablename__ = "meeting_kind_decision"

    kind_code: Mapped[str] = mapped_column(ForeignKey("meeting_kind.code"), primary_key=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision), primary_key=True)
    position: Mapped[int]


class ScoreView(enum.StrEnum):
    FAMILY = "family"
    PRESENTER = "presenter"
    GROUP = "group"

    @property
    def label(self) -> str:
        return {"family": "The family", "presenter": "Presenting practitioner", "group": "The group"}[self.value]


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"open": "Open", "in_progress": "In progress", "done": "Done", "cancelled": "Not done"}[self.value]


class Discussion(db.Model):
    """One agenda item's discussion of a family."""

    __tablename__ = "discussion"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id"), index=True)
    worries: Mapped[str] = mapped_column(Text, default="")
    worry_statement: Mapped[str] = mapped_column(Text, default="")
    complicating_factors: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    existing_wellbeing: Mapped[str] = mapped_column(Text, default="")
    wellbeing_goals: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision))
    decision_notes: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[date | None] = mapped_column(Date)
    # A move between levels of need, at a kind that records them (lehc.families.moves): a step up's date referred
    # and reason, a step down's lead practitioner allocated and handover meeting
    referred_on: Mapped[date | None] = mapped_column(Date)
    move_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    allocated_lead_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    handover_on: Mapped[date | None] = mapped_column(Date)
    # The step-up prompt (a low or falling group score) and the group's answer to it
    step_up_prompt: Mapped[str] = mapped_column(String(200), default="")
    step_up_answer: Mapped[str] = mapped_column(String(20), default="")
    step_up_reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    item: Mapped[AgendaItem] = relationship(back_populates="discussion")
    family: Mapped[Family] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    allocated_lead: Mapped[User | None] = relationship(foreign_keys=[allocated_lead_id])
    scores: Mapped[list[ScalingScore]] = relationship(
        back_populates="discussion", cascade="all, delete-orphan", order_by="ScalingScore.id"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="discussion", cascade="all, delete-orphan", order_by="Action.id"
    )

    @property
    def meeting(self) -> Meeting:
        return self.item.meeting

    def score_of(self, view: ScoreView) -> int | None:
        return next((score.score for score in self.scores if score.view is view), None)


class ScalingScore(db.Model):
    __tablename__ = "scaling_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussion.id", ondelete="CASCADE"), index=True)
    view: Mapped[ScoreView] = mapped_column(enum_column(ScoreView))
    score: Mapped[int]

    discussion: Mapped[Discussion] = relationship(back_populates="scores")


OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
OPEN_WHERE = "status IN ('open', 'in_progress')"  # OPEN, as the partial indexes say


class Action(db.Model):
    __tablename__ = "action"
    # Lists are ordered by due date: with this index a page is read in order instead of sorting them all.
    # A meeting's open actions, or those done since a date, are read from the index alone (the agenda's review).
    # A locality's tracker, and a person's open actions, are read in due order from an index that starts at
    # them, so page 2 costs the same with ten years of history as with one (issue 14).
    __table_args__ = (
        Index("ix_action_due_on_id", "due_on", "id"),
        Index("ix_action_meeting_status_completed", "meeting_id", "status", "completed_on"),
        Index("ix_action_locality_due_on_id", "locality_id", "due_on", "id"),
        Index(
            "ix_action_open_locality_due_on_id",
            "locality_id",
            "due_on",
            "id",
            sqlite_where=text(OPEN_WHERE),
            postgresql_where=text(OPEN_WHERE),
        ),
        Index(
            "ix_action_open_owner_due_on_id",
            "owner_id",
            "due_on",
            "id",
            sqlite_where=text(OPEN_WHERE),
            postgresql_where=text(OPEN_WHERE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int | None] = mapped_column(ForeignKey("discussion.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    # the meeting's locality, kept on the action for the tracker's index (set from the meeting, never changed)
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("locality.id"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    owner_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus), default=ActionStatus.OPEN, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    discussion: Mapped[Discussion | None] = relationship(back_populates="actions")
    meeting: Mapped[Meeting] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    owner_agency: Mapped[Agency | None] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updates: Mapped[list[ActionUpdate]] = relationship(  # noqa: F821
        back_populates="action", cascade="all, delete-orphan", order_by="ActionUpdate.id"
    )

    @classmethod
    def is_open(cls) -> ColumnElement[bool]:
        """Open or in progress, written into the SQL as values rather than parameters: SQLite uses a partial index
        only when the query's own words imply the index's WHERE (ix_action_open_*)."""
        values = bindparam("open_statuses", [status.value for status in OPEN], expanding=True, literal_execute=True)
        return cls.status.in_(values)

    @validates("meeting")
    def _keep_locality(self, _key: str, meeting: Meeting) -> Meeting:
        self.locality_id = meeting.locality_id
        return meeting


@event.listens_for(Action, "before_insert")
def _locality_from_meeting(_mapper: object, connection: Connection, action: Action) -> None:
    """An action made with a meeting id alone takes its locality from the meeting."""
    if action.locality_id is None and action.meeting_id is not None:
        locality = connection.scalar(select(Meeting.locality_id).where(Meeting.id == action.meeting_id))
        action.locality_id = locality


class FamilyLetter(db.Model):
    """A letter to the family, as reviewed and saved by the practitioner."""

    __tablename__ = "family_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussion.id", ondelete="CASCADE"), index=True)
    talked_about: Mapped[str] = mapped_column(Text)
    working_well: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(Text)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
