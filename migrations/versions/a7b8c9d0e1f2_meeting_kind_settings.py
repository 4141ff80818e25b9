"""a meeting kind's settings: whether it discusses families, whether it records moves between levels of need, how
often it usually meets, the decisions its discussions record and its documents' titles; a discussion can record a
step down to early help, and a move's details

Revision ID: a7b8c9d0e1f2
Revises: f5a6b7c8d9e0
Create Date: 2026-11-30 11:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a7b8c9d0e1f2"
down_revision = "f5a6b7c8d9e0"
branch_labels = None
depends_on = None

DECISIONS = ("advice", "universal", "taf", "step_up", "social_care", "review", "nfa")
WITH_STEP_DOWN = ("advice", "universal", "taf", "step_up", "social_care", "step_down", "review", "nfa")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade():
    with op.batch_alter_table("meeting_kind") as batch_op:
        batch_op.add_column(sa.Column("discusses_families", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("records_moves", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(
            sa.Column(
                "default_frequency",
                _enum("frequency", "weekly", "fortnightly", "monthly"),
                server_default="fortnightly",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("agenda_title", sa.String(length=160), server_default="", nullable=False))
        batch_op.add_column(sa.Column("minutes_title", sa.String(length=160), server_default="", nullable=False))
    decision = op.create_table(
        "meeting_kind_decision",
        sa.Column("kind_code", sa.String(length=20), nullable=False),
        sa.Column("decision", _enum("decision", *WITH_STEP_DOWN), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kind_code"], ["meeting_kind.code"], name=op.f("fk_meeting_kind_decision_kind_code_meeting_kind")
        ),
        sa.PrimaryKeyConstraint("kind_code", "decision", name=op.f("pk_meeting_kind_decision")),
    )
    # the LEHC as it was: every decision it offered, in the same order, and the same document titles
    op.execute(
        "UPDATE meeting_kind SET agenda_title = 'Locality Early Help Conversation: agenda', "
        "minutes_title = 'Locality Early Help Conversation: minutes' WHERE code = 'lehc'"
    )
    if op.get_bind().scalar(sa.text("SELECT count(*) FROM meeting_kind WHERE code = 'lehc'")):
        op.bulk_insert(
            decision, [{"kind_code": "lehc", "decision": d, "position": n} for n, d in enumerate(DECISIONS, 1)]
        )
    with op.batch_alter_table("discussion") as batch_op:
        batch_op.alter_column(
            "decision",
            existing_type=_enum("decision", *DECISIONS),
            type_=_enum("decision", *WITH_STEP_DOWN),
            existing_nullable=True,
        )
        batch_op.add_column(sa.Column("referred_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("move_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("allocated_lead_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("handover_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_discussion_allocated_lead_id_user_account"), "user_account", ["allocated_lead_id"], ["id"]
        )


def downgrade():
    op.execute("UPDATE discussion SET decision = 'taf' WHERE decision = 'step_down'")  # early help, with a lead
    with op.batch_alter_table("discussion") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_discussion_allocated_lead_id_user_account"), type_="foreignkey")
        batch_op.drop_column("handover_on")
        batch_op.drop_column("allocated_lead_id")
        batch_op.drop_column("move_reason")
        batch_op.drop_column("referred_on")
        batch_op.alter_column(
            "decision",
            existing_type=_enum("decision", *WITH_STEP_DOWN),
            type_=_enum("decision", *DECISIONS),
            existing_nullable=True,
        )
    op.drop_table("meeting_kind_decision")
    with op.batch_alter_table("meeting_kind") as batch_op:
        batch_op.drop_column("minutes_title")
        batch_op.drop_column("agenda_title")
        batch_op.drop_constraint(op.f("ck_meeting_kind_frequency"), type_="check")
        batch_op.drop_column("default_frequency")
        batch_op.drop_column("records_moves")
        batch_op.drop_column("discusses_families")
