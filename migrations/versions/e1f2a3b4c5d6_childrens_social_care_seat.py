"""the Children's Social Care team manager: a call-on seat at the LEHC that sits at every step up / step down
meeting. On a database already seeded with reference data, the agency and the seat are added where missing (as
`flask seed-reference` would, last in the order of seats), and the seat joins the
step meeting's county default where that default is set; a locality's own choice of seats is left as its
administrator made it.

Revision ID: e1f2a3b4c5d6
Revises: d0e1f2a3b4c5
Create Date: 2026-11-30 23:00:00

"""

from alembic import op

revision = "e1f2a3b4c5d6"
down_revision = "d0e1f2a3b4c5"
branch_labels = None
depends_on = None


def upgrade():
    # only where reference data was seeded (a new database gets the seat from seed-reference, in its place)
    op.execute(
        "INSERT INTO agency (name, sector) SELECT 'Children''s Social Care', 'council' "
        "WHERE EXISTS (SELECT 1 FROM seat) "
        "AND NOT EXISTS (SELECT 1 FROM agency WHERE name = 'Children''s Social Care')"
    )
    op.execute(
        "INSERT INTO seat (name, kind, position, agency_id) "
        "SELECT 'Children''s Social Care Team Manager', 'call_on', "
        "(SELECT COALESCE(MAX(position), 0) + 1 FROM seat), agency.id FROM agency "
        "WHERE agency.name = 'Children''s Social Care' "
        "AND NOT EXISTS (SELECT 1 FROM seat WHERE name = 'Children''s Social Care Team Manager')"
    )
    op.execute(
        "INSERT INTO kind_seat (kind_code, locality_id, seat_id) "
        "SELECT 'step', NULL, seat.id FROM seat WHERE seat.name = 'Children''s Social Care Team Manager' "
        "AND EXISTS (SELECT 1 FROM kind_seat WHERE kind_code = 'step' AND locality_id IS NULL) "
        "AND NOT EXISTS (SELECT 1 FROM kind_seat k WHERE k.kind_code = 'step' AND k.locality_id IS NULL "
        "AND k.seat_id = seat.id)"
    )


def downgrade():
    # the seat leaves the kinds that name it; the seat and the agency stay, as reference data (members may hold it)
    op.execute(
        "DELETE FROM kind_seat WHERE seat_id IN "
        "(SELECT id FROM seat WHERE name = 'Children''s Social Care Team Manager')"
    )
