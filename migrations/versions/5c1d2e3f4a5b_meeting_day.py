"""meeting day: the London date of a meeting, for consent rules in SQL

Revision ID: 5c1d2e3f4a5b
Revises: ad5065f33752
Create Date: 2026-11-25 09:00:00

"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "5c1d2e3f4a5b"
down_revision = "ad5065f33752"
branch_labels = None
depends_on = None

LONDON = ZoneInfo("Europe/London")


def upgrade():
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("day", sa.Date(), nullable=True))
    connection = op.get_bind()
    meeting = sa.table("meeting", sa.column("id", sa.Integer), sa.column("starts_at"), sa.column("day", sa.Date))
    rows = connection.execute(sa.select(meeting.c.id, meeting.c.starts_at)).all()
    for meeting_id, starts_at in rows:
        if isinstance(starts_at, str):  # SQLite without the column type: an ISO text in UTC
            starts_at = datetime.fromisoformat(starts_at)
        if starts_at.tzinfo is None:
            starts_at = starts_at.replace(tzinfo=UTC)
        day = starts_at.astimezone(LONDON).date()
        connection.execute(meeting.update().where(meeting.c.id == meeting_id).values(day=day))
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.alter_column("day", existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("day")
