"""meeting kinds as data: the LEHC becomes the first kind (its name and its standing items), and every meeting and
series names its kind

Revision ID: f5a6b7c8d9e0
Revises: e4f5a6b7c8d9
Create Date: 2026-11-30 08:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f5a6b7c8d9e0"
down_revision = "e4f5a6b7c8d9"
branch_labels = None
depends_on = None


def upgrade():
    kind = op.create_table(
        "meeting_kind",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_meeting_kind")),
    )
    item = op.create_table(
        "meeting_kind_item",
        sa.Column("kind_code", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kind_code"], ["meeting_kind.code"], name=op.f("fk_meeting_kind_item_kind_code_meeting_kind")
        ),
        sa.PrimaryKeyConstraint("kind_code", "position", name=op.f("pk_meeting_kind_item")),
    )
    # the LEHC as it was: the same name and the same two standing items every agenda opened with
    op.bulk_insert(kind, [{"code": "lehc", "name": "Locality Early Help Conversation", "short_name": "LEHC"}])
    op.bulk_insert(
        item,
        [
            {
                "kind_code": "lehc",
                "position": 1,
                "title": "Welcome, introductions and apologies",
                "duration_minutes": 5,
            },
            {
                "kind_code": "lehc",
                "position": 2,
                "title": "Review of actions from the last meeting",
                "duration_minutes": 10,
            },
        ],
    )
    for table in ("meeting", "meeting_series"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("kind_code", sa.String(length=20), server_default="lehc", nullable=False))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_kind_code_meeting_kind"), "meeting_kind", ["kind_code"], ["code"]
            )


def downgrade():
    for table in ("meeting_series", "meeting"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_kind_code_meeting_kind"), type_="foreignkey")
            batch_op.drop_column("kind_code")
    op.drop_table("meeting_kind_item")
    op.drop_table("meeting_kind")
