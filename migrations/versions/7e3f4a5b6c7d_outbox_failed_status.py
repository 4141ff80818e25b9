"""outbox: a message that can never be sent is marked failed, not retried for ever

Revision ID: 7e3f4a5b6c7d
Revises: 6d2e3f4a5b6c
Create Date: 2026-11-25 11:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7e3f4a5b6c7d"
down_revision = "6d2e3f4a5b6c"
branch_labels = None
depends_on = None


def _status(*values: str) -> sa.Enum:
    return sa.Enum(*values, name="outboxstatus", native_enum=False, create_constraint=True, length=20)


def upgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.alter_column(
            "status",
            existing_type=_status("pending", "sent"),
            type_=_status("pending", "sent", "failed"),
            existing_nullable=False,
        )


def downgrade():
    op.execute("UPDATE outbox_message SET status = 'pending' WHERE status = 'failed'")
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.alter_column(
            "status",
            existing_type=_status("pending", "sent", "failed"),
            type_=_status("pending", "sent"),
            existing_nullable=False,
        )
