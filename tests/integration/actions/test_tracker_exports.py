"""The tracker's CSV as a spreadsheet reads it: dates as dates."""

import csv
import io
from datetime import date, timedelta

from lehc.models import Action, Role
from tests.conftest import sign_in_as


def test_the_csv_gives_due_dates_as_iso_dates(app, db, factories):
    coordinator = factories.user(Role.COORDINATOR, locality="DUR")
    meeting = factories.meeting("DUR", organiser=coordinator)
    due = date.today() + timedelta(days=9)
    db.session.add(Action(meeting=meeting, description="Book the room", owner=coordinator, due_on=due))
    db.session.commit()
    body = sign_in_as(app.test_client(), coordinator).get("/actions.csv").data.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    assert header[4] == "Due" and row[0] == "Book the room" and row[4] == due.isoformat()
