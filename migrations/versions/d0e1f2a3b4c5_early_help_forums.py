"""the Early Help Forums: a meeting may be an area's (hosted by one of its localities), and a kind or series may
meet once a term

Revision ID: d0e1f2a3b4c5
Revises: c9d0e1f2a3b4
Create Date: 2026-11-30 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d0e1f2a3b4c5"
down_revision = "c9d0e1f2a3b4"
branch_labels = None
depends_on = None

BEFORE = ("weekly", "fortnightly", "monthly")
AFTER = (*BEFORE, "termly")
ITEMS_BEFORE = ("standing", "discussion")
ITEMS_AFTER = (*ITEMS_BEFORE, "presentation")


SECTORS = ("education", "health", "council", "voluntary", "justice", "other")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def _widen(table: str, column: str, name: str, old: tuple[str, ...], new: tuple[str, ...]) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.alter_column(column, existing_type=_enum(name, *old), type_=_enum(name, *new), existing_nullable=False)


def upgrade():
    _widen("meeting_kind", "default_frequency", "frequency", BEFORE, AFTER)
    _widen("meeting_series", "frequency", "frequency", BEFORE, AFTER)
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_meeting_area_id_area"), "area", ["area_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_meeting_area_id"), ["area_id"], unique=False)
    with op.batch_alter_table("meeting_kind") as batch_op:
        batch_op.add_column(sa.Column("meets_per_area", sa.Boolean(), server_default=sa.false(), nullable=False))
    _widen("agenda_item", "kind", "itemkind", ITEMS_BEFORE, ITEMS_AFTER)
    with op.batch_alter_table("agenda_item") as batch_op:
        batch_op.add_column(sa.Column("presenter_name", sa.String(length=120), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("presenter_organisation", sa.String(length=160), server_default="", nullable=False)
        )
    # the forums' mailing lists, and their messages' List-Unsubscribe link
    op.create_table(
        "forum_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("sector", _enum("agencysector", *SECTORS), nullable=False),
        sa.Column("unsubscribe_token", sa.String(length=64), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_forum_contact_area_id_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_contact")),
        sa.UniqueConstraint("area_id", "email", name="uq_forum_contact_area_email"),
        sa.UniqueConstraint("unsubscribe_token", name=op.f("uq_forum_contact_unsubscribe_token")),
    )
    with op.batch_alter_table("forum_contact") as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_contact_area_id"), ["area_id"], unique=False)
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.add_column(sa.Column("unsubscribe_url", sa.String(length=300), nullable=True))
    # a forum's attendance beyond its LEHC members
    op.create_table(
        "guest_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("sector", _enum("agencysector", *SECTORS), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_guest_attendance_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guest_attendance")),
    )
    with op.batch_alter_table("guest_attendance") as batch_op:
        batch_op.create_index(batch_op.f("ix_guest_attendance_meeting_id"), ["meeting_id"], unique=False)


def downgrade():
    with op.batch_alter_table("guest_attendance") as batch_op:
        batch_op.drop_index(batch_op.f("ix_guest_attendance_meeting_id"))
    op.drop_table("guest_attendance")
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_column("unsubscribe_url")
    with op.batch_alter_table("forum_contact") as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_contact_area_id"))
    op.drop_table("forum_contact")
    # the nearest pattern the older schema knows; a forum's meetings become its host locality's, its presentations
    # standing items (their title kept, their presenter's name lost)
    op.execute("UPDATE agenda_item SET kind = 'standing' WHERE kind = 'presentation'")
    with op.batch_alter_table("agenda_item") as batch_op:
        batch_op.drop_column("presenter_organisation")
        batch_op.drop_column("presenter_name")
    _widen("agenda_item", "kind", "itemkind", ITEMS_AFTER, ITEMS_BEFORE)
    with op.batch_alter_table("meeting_kind") as batch_op:
        batch_op.drop_column("meets_per_area")
    op.execute("UPDATE meeting_kind SET default_frequency = 'monthly' WHERE default_frequency = 'termly'")
    op.execute("UPDATE meeting_series SET frequency = 'monthly' WHERE frequency = 'termly'")
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_area_id"))
        batch_op.drop_constraint(batch_op.f("fk_meeting_area_id_area"), type_="foreignkey")
        batch_op.drop_column("area_id")
    _widen("meeting_series", "frequency", "frequency", AFTER, BEFORE)
    _widen("meeting_kind", "default_frequency", "frequency", AFTER, BEFORE)
