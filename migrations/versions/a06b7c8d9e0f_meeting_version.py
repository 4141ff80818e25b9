"""meetings carry a version for optimistic locking of simultaneous reschedules

Revision ID: a06b7c8d9e0f
Revises: 9a5b6c7d8e9f
Create Date: 2026-11-25 12:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a06b7c8d9e0f"
down_revision = "9a5b6c7d8e9f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.drop_column("version")
