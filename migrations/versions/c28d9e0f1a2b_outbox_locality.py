"""outbox messages name the locality they are about, so its coordinators see them on the outbox page

Revision ID: c28d9e0f1a2b
Revises: b17c8d9e0f1a
Create Date: 2026-11-30 01:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c28d9e0f1a2b"
down_revision = "b17c8d9e0f1a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("locality_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_message_locality_id"), ["locality_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_locality_id_locality"), "locality", ["locality_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outbox_message_locality_id_locality"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_message_locality_id"))
        batch_op.drop_column("locality_id")
