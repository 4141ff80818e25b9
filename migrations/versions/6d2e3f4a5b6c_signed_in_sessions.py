"""signed-in sessions: sign-out ends the session on the server

Revision ID: 6d2e3f4a5b6c
Revises: 5c1d2e3f4a5b
Create Date: 2026-11-25 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "6d2e3f4a5b6c"
down_revision = "5c1d2e3f4a5b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "signed_in_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_signed_in_session_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_in_session")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_signed_in_session_key_hash")),
    )
    with op.batch_alter_table("signed_in_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signed_in_session_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("signed_in_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signed_in_session_user_id"))
    op.drop_table("signed_in_session")
