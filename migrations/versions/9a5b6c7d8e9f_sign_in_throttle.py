"""sign-in throttle per address and per address and client, replacing the per-account lock

Revision ID: 9a5b6c7d8e9f
Revises: 8f4a5b6c7d8e
Create Date: 2026-11-25 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "9a5b6c7d8e9f"
down_revision = "8f4a5b6c7d8e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_throttle")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_sign_in_throttle_key_hash")),
    )
    with op.batch_alter_table("sign_in_throttle") as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_throttle_last_failure_at"), ["last_failure_at"], unique=False)
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_sign_ins")


def downgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("sign_in_throttle") as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_throttle_last_failure_at"))
    op.drop_table("sign_in_throttle")
