"""indexes that keep a page's cost flat as the history grows: the items a person is called on for, a locality's
actions in due order (the action keeps its meeting's locality), and a person's open actions in due order

Revision ID: e4f5a6b7c8d9
Revises: d3e4f5a6b7c8
Create Date: 2026-11-30 04:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e4f5a6b7c8d9"
down_revision = "d3e4f5a6b7c8"
branch_labels = None
depends_on = None


OPEN_WHERE = "status IN ('open', 'in_progress')"


def upgrade():
    with op.batch_alter_table("agenda_item_call_on") as batch_op:
        batch_op.create_index("ix_agenda_item_call_on_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("action") as batch_op:
        batch_op.add_column(sa.Column("locality_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_action_locality_id_locality"), "locality", ["locality_id"], ["id"])
    op.execute(
        "UPDATE action SET locality_id = (SELECT meeting.locality_id FROM meeting WHERE meeting.id = action.meeting_id)"
    )
    op.create_index("ix_action_locality_due_on_id", "action", ["locality_id", "due_on", "id"], unique=False)
    op.create_index(
        "ix_action_open_locality_due_on_id",
        "action",
        ["locality_id", "due_on", "id"],
        unique=False,
        sqlite_where=sa.text(OPEN_WHERE),
        postgresql_where=sa.text(OPEN_WHERE),
    )
    op.create_index(
        "ix_action_open_owner_due_on_id",
        "action",
        ["owner_id", "due_on", "id"],
        unique=False,
        sqlite_where=sa.text(OPEN_WHERE),
        postgresql_where=sa.text(OPEN_WHERE),
    )


def downgrade():
    op.drop_index("ix_action_open_owner_due_on_id", table_name="action")
    op.drop_index("ix_action_open_locality_due_on_id", table_name="action")
    op.drop_index("ix_action_locality_due_on_id", table_name="action")
    with op.batch_alter_table("action") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_action_locality_id_locality"), type_="foreignkey")
        batch_op.drop_column("locality_id")
    with op.batch_alter_table("agenda_item_call_on") as batch_op:
        batch_op.drop_index("ix_agenda_item_call_on_user_id")
