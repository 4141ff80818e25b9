"""families and agenda items carry a version for optimistic locking of simultaneous edits

Revision ID: 8f4a5b6c7d8e
Revises: 7e3f4a5b6c7d
Create Date: 2026-11-25 11:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "8f4a5b6c7d8e"
down_revision = "7e3f4a5b6c7d"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("family", "agenda_item"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    for table in ("family", "agenda_item"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
