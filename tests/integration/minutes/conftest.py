"""The minutes area's fixture: a Durham meeting that started an hour ago, both items discussed."""

from datetime import UTC, date, datetime, timedelta

import pytest

from lehc.meetings import services as meeting_services
from lehc.models import DiscussionType, MembershipKind, Role
from tests.integration.minutes.world import ANON_CHILD, NAMED_CHILD, discuss


@pytest.fixture
def held(factories, db):
    """A Durham meeting that started an hour ago: a named item, an anonymous item calling on police, both discussed."""
    chair = factories.user(Role.CHAIR, locality="DUR", seat="Family Hub Team Manager", name="Cara Chair")
    coordinator = factories.user(Role.COORDINATOR, locality="DUR", name="Cody Coordinator")
    police = factories.user(
        Role.MEMBER, locality="DUR", kind=MembershipKind.CALL_ON, seat="Neighbourhood Police Team", name="Percy Police"
    )
    police.agency = factories.agency("Durham Constabulary")
    camhs = factories.user(Role.MEMBER, locality="DUR", seat="CAMHS", name="Cam Hughes")
    named = factories.family("DUR", reference="DUR-2026-0101", children=[(NAMED_CHILD, date(2017, 3, 3))])
    anonymous = factories.family(
        "DUR", reference="DUR-2026-0102", consent=False, children=[(ANON_CHILD, date(2021, 8, 8))]
    )
    meeting = factories.meeting("DUR", organiser=coordinator)
    meeting.starts_at = datetime.now(UTC) - timedelta(hours=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    first = factories.item(meeting, family=named, title="Attendance and a young carer")
    second = factories.item(
        meeting,
        family=anonymous,
        title="Development worries",
        call_on=[police],
        discussion_type=DiscussionType.ANONYMOUS,
    )
    meeting_services.publish_agenda(meeting, coordinator)
    discuss(first, coordinator, group=5, actions=["Agree an attendance plan", '=HYPERLINK("http://evil")'])
    discuss(second, coordinator, group=3, actions=["Offer a parenting group"])
    db.session.commit()
    return {
        "meeting": meeting,
        "chair": chair,
        "coordinator": coordinator,
        "police": police,
        "camhs": camhs,
        "first": first,
        "second": second,
    }
