"""areas that group localities for the Early Help Forums, and the school terms the administrator keeps

Revision ID: c9d0e1f2a3b4
Revises: b8c9d0e1f2a3
Create Date: 2026-11-30 14:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c9d0e1f2a3b4"
down_revision = "b8c9d0e1f2a3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area")),
        sa.UniqueConstraint("name", name=op.f("uq_area_name")),
    )
    op.create_table(
        "school_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_term")),
        sa.UniqueConstraint("starts_on", name=op.f("uq_school_term_starts_on")),
    )
    with op.batch_alter_table("locality") as batch_op:
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_locality_area_id_area"), "area", ["area_id"], ["id"])


def downgrade():
    with op.batch_alter_table("locality") as batch_op:
        batch_op.drop_constraint(op.f("fk_locality_area_id_area"), type_="foreignkey")
        batch_op.drop_column("area_id")
    op.drop_table("school_term")
    op.drop_table("area")
