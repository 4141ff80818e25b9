"""declarations of interest recorded at a meeting, for its minutes

Revision ID: b17c8d9e0f1a
Revises: a06b7c8d9e0f
Create Date: 2026-11-29 22:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b17c8d9e0f1a"
down_revision = "a06b7c8d9e0f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.add_column(sa.Column("declarations", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.drop_column("declarations")
