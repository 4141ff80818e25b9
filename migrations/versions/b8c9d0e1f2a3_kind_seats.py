"""a kind's seats: whose core members are invited to the whole of its meetings, by default and per locality (the
weekly step up / step down meeting is not the whole LEHC table); a step meeting kind seeded before this gets its
default seats here, a kind added later by `flask seed-reference`

Revision ID: b8c9d0e1f2a3
Revises: a7b8c9d0e1f2
Create Date: 2026-11-30 14:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b8c9d0e1f2a3"
down_revision = "a7b8c9d0e1f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kind_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind_code", sa.String(length=20), nullable=False),
        sa.Column("locality_id", sa.Integer(), nullable=True),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["kind_code"], ["meeting_kind.code"], name=op.f("fk_kind_seat_kind_code_meeting_kind")),
        sa.ForeignKeyConstraint(["locality_id"], ["locality.id"], name=op.f("fk_kind_seat_locality_id_locality")),
        sa.ForeignKeyConstraint(["seat_id"], ["seat.id"], name=op.f("fk_kind_seat_seat_id_seat")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kind_seat")),
        sa.UniqueConstraint("kind_code", "locality_id", "seat_id", name="uq_kind_seat"),
    )
    op.create_index(op.f("ix_kind_seat_kind_code"), "kind_seat", ["kind_code"], unique=False)
    # the step up / step down meeting's default seats (lehc.reference_data.MEETING_KINDS), where it exists already
    op.execute(
        "INSERT INTO kind_seat (kind_code, locality_id, seat_id) "
        "SELECT 'step', NULL, seat.id FROM seat, meeting_kind WHERE meeting_kind.code = 'step' "
        "AND seat.name IN ('Family Hub Team Manager', 'One Point Early Help Advisor')"
    )


def downgrade():
    op.drop_index(op.f("ix_kind_seat_kind_code"), table_name="kind_seat")
    op.drop_table("kind_seat")
