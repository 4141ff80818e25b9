"""calendar replies (a tentative answer, its comment and where it came from, and the replies applied) and
reminders (what was queued, what each person switched off, and each locality's agenda deadline)

Revision ID: d3e4f5a6b7c8
Revises: c28d9e0f1a2b
Create Date: 2026-11-30 03:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d3e4f5a6b7c8"
down_revision = "c28d9e0f1a2b"
branch_labels = None
depends_on = None

REMINDER_KINDS = ("agenda_deadline", "agency_checks", "actions_digest", "minutes_unapproved")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade():
    op.create_table(
        "reminder_opt_out",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("reminderkind", *REMINDER_KINDS), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_reminder_opt_out_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_reminder_opt_out")),
    )
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("reminderkind", *REMINDER_KINDS), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_reminder_sent_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sent")),
        sa.UniqueConstraint("user_id", "kind", "subject", "day", name="uq_reminder_sent_once_a_day"),
    )
    with op.batch_alter_table("reminder_sent") as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_sent_user_id"), ["user_id"], unique=False)
    op.create_table(
        "calendar_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_key", sa.String(length=64), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_calendar_reply_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_calendar_reply_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_reply")),
        sa.UniqueConstraint("message_key", name=op.f("uq_calendar_reply_message_key")),
    )
    with op.batch_alter_table("calendar_reply") as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_reply_meeting_id"), ["meeting_id"], unique=False)
    with op.batch_alter_table("locality") as batch_op:
        batch_op.add_column(sa.Column("agenda_deadline_days", sa.Integer(), server_default="7", nullable=False))
    with op.batch_alter_table("meeting_response") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("source", _enum("responsesource", "lehc", "calendar"), server_default="lehc", nullable=False)
        )
        batch_op.alter_column(
            "response",
            existing_type=_enum("responsekind", "accepted", "apologies", "deputy"),
            type_=_enum("responsekind", "accepted", "apologies", "deputy", "tentative"),
            existing_nullable=False,
        )


def downgrade():
    op.execute("DELETE FROM meeting_response WHERE response = 'tentative'")  # no firm answer: back to no reply
    with op.batch_alter_table("meeting_response") as batch_op:
        batch_op.alter_column(
            "response",
            existing_type=_enum("responsekind", "accepted", "apologies", "deputy", "tentative"),
            type_=_enum("responsekind", "accepted", "apologies", "deputy"),
            existing_nullable=False,
        )
        batch_op.drop_constraint(op.f("ck_meeting_response_responsesource"), type_="check")
        batch_op.drop_column("source")
        batch_op.drop_column("note")
    with op.batch_alter_table("locality") as batch_op:
        batch_op.drop_column("agenda_deadline_days")
    with op.batch_alter_table("reminder_sent") as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_sent_user_id"))
    op.drop_table("reminder_sent")
    op.drop_table("reminder_opt_out")
    with op.batch_alter_table("calendar_reply") as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_reply_meeting_id"))
    op.drop_table("calendar_reply")
