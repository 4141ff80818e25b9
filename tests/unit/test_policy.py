"""The access rules on their own: each policy predicate judged on objects built in memory (no database, no
request), one case per kind of user the rule names and one per way it says no. The same rules are tested through
every surface in tests/integration (test_every_route, test_anonymity, test_action_visibility)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from lehc import policy
from lehc.models import (
    Action,
    Agency,
    AgencyCheck,
    AgendaItem,
    Consent,
    Discussion,
    DiscussionType,
    Family,
    ItemKind,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipKind,
    Role,
    Seat,
    User,
)

HERE, ELSEWHERE = 1, 2
MEETING_DAY = date(2026, 12, 3)
TODAY = date(2026, 11, 29)  # the agenda was published on the 26th
WINDOW = 14
SCHOOL, HEALTH = Agency(id=10, name="Schools"), Agency(id=11, name="Health")

_ids = iter(range(100, 10_000))


def person(role: Role = Role.MEMBER, *, core_in: int | None = None, call_on_in: int | None = None, agency=None) -> User:
    user = User(id=next(_ids), name="Someone", role=role, active=True, agency=agency)
    if core_in is not None:
        user.memberships.append(Membership(locality_id=core_in, kind=MembershipKind.CORE))
    if call_on_in is not None:
        user.memberships.append(Membership(locality_id=call_on_in, kind=MembershipKind.CALL_ON))
    return user


def chair_of(locality_id: int) -> User:
    return person(Role.CHAIR, core_in=locality_id)


def consent(*, given: date = date(2026, 10, 1), withdrawn: date | None = None, sharing: bool = True) -> Consent:
    return Consent(
        given_on=given,
        expires_on=given + timedelta(days=365),
        withdrawn_on=withdrawn,
        covers_discussion=True,
        covers_sharing=sharing,
    )


def meeting(*, published: bool = True, status: MeetingStatus = MeetingStatus.AGENDA_PUBLISHED) -> Meeting:
    starts = datetime(MEETING_DAY.year, MEETING_DAY.month, MEETING_DAY.day, 10, tzinfo=UTC)
    return Meeting(
        id=next(_ids),
        locality_id=HERE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=status if published else MeetingStatus.SCHEDULED,
        agenda_published_at=datetime(2026, 11, 26, 9, tzinfo=UTC) if published else None,
    )


def family_item(
    on: Meeting,
    *,
    presenter: User | None = None,
    lead: User | None = None,
    consents: list[Consent] | None = None,
    kind: DiscussionType = DiscussionType.NEW,
    call_on: list[User] | None = None,
) -> AgendaItem:
    family = Family(
        id=next(_ids),
        locality_id=HERE,
        presenter_id=presenter.id if presenter else None,
        lead_practitioner_id=lead.id if lead else None,
        consents=[consent()] if consents is None else consents,
    )
    item = AgendaItem(
        id=next(_ids),
        kind=ItemKind.DISCUSSION,
        position=len(on.items) + 1,
        family=family,
        family_id=family.id,
        discussion_type=kind,
        call_on_members=call_on or [],
    )
    on.items.append(item)
    return item


# ---------------------------------------------------------------- meetings


def test_a_meeting_is_seen_by_its_localitys_managers_and_core_members_and_whoever_is_called_on_for_it():
    published = meeting()
    called = person(call_on_in=HERE)
    family_item(published, call_on=[called])
    assert policy.can_view_meeting(chair_of(HERE), published)
    assert policy.can_view_meeting(person(Role.COORDINATOR, call_on_in=HERE), published)
    assert policy.can_view_meeting(person(core_in=HERE), published)
    assert policy.can_view_meeting(called, published)
    assert not policy.can_view_meeting(person(call_on_in=HERE), published)  # a call-on member not called on
    assert not policy.can_view_meeting(chair_of(ELSEWHERE), published)
    assert not policy.can_view_meeting(person(Role.ADMIN), published)  # an administrator gets nothing as such


def test_only_a_chair_or_coordinator_of_the_locality_changes_a_meeting_and_only_a_chair_approves_minutes():
    published = meeting()
    assert policy.can_manage_meeting(chair_of(HERE), published)
    assert policy.can_manage_meeting(person(Role.COORDINATOR, core_in=HERE), published)
    assert not policy.can_manage_meeting(person(core_in=HERE), published)
    assert not policy.can_manage_meeting(chair_of(ELSEWHERE), published)
    assert policy.can_approve_minutes(chair_of(HERE), HERE)
    assert not policy.can_approve_minutes(person(Role.COORDINATOR, core_in=HERE), HERE)


def test_the_pack_is_read_once_the_agenda_is_published_except_by_those_who_build_it():
    draft = meeting(published=False)
    core = person(core_in=HERE)
    assert not policy.can_read_pack(core, draft)
    assert policy.can_read_pack(chair_of(HERE), draft)
    assert policy.can_read_pack(core, meeting())


def test_a_locality_page_is_for_its_core_members_and_managers():
    locality = type("Locality", (), {"id": HERE})()
    assert policy.can_see_locality_meetings(person(core_in=HERE), locality)
    assert not policy.can_see_locality_meetings(person(call_on_in=HERE), locality)
    assert policy.can_manage_locality(chair_of(HERE), locality)
    assert not policy.can_manage_locality(person(core_in=HERE), locality)


def test_an_items_content_follows_publication_and_the_call_on_window():
    draft, published = meeting(published=False), meeting()
    core, called, presenter = person(core_in=HERE), person(call_on_in=HERE), person()
    draft_item = family_item(draft, presenter=presenter)
    item = family_item(published, call_on=[called])
    assert not policy.can_see_item(core, draft_item, TODAY, WINDOW)
    assert policy.can_see_item(presenter, draft_item, TODAY, WINDOW)
    assert policy.can_see_item(chair_of(HERE), draft_item, TODAY, WINDOW)
    assert policy.can_see_item(core, item, TODAY, WINDOW)
    assert policy.can_see_item(called, item, TODAY, WINDOW)
    after_window = MEETING_DAY + timedelta(days=WINDOW + 1)
    assert not policy.can_see_item(called, item, after_window, WINDOW)
    assert not policy.can_see_item(person(call_on_in=HERE), item, TODAY, WINDOW)


def test_a_distribution_copy_holds_what_its_readers_could_see_on_the_meeting_day_or_a_late_publication_day():
    called = person(call_on_in=HERE)
    on_time = meeting()
    item = family_item(on_time, call_on=[called])
    assert policy.distribution_view([called], on_time).shows(item.id)
    assert not policy.distribution_view([person(call_on_in=HERE)], on_time).shows(item.id)
    late = meeting()  # the agenda went out the day after the meeting (a record made afterwards)
    late.agenda_published_at = datetime(MEETING_DAY.year, MEETING_DAY.month, MEETING_DAY.day + 1, 0, 5, tzinfo=UTC)
    item = family_item(late, call_on=[called])
    assert not policy.can_see_item(called, item, MEETING_DAY, 0)
    assert policy.distribution_view([called], late).shows(item.id)


# ---------------------------------------------------------------- families (need-to-know)


def test_a_familys_record_is_for_its_practitioners_its_localitys_managers_and_core_members_through_a_named_item():
    presenter, lead, core = person(), person(), person(core_in=HERE)
    item = family_item(meeting(), presenter=presenter, lead=lead)
    family = item.family
    for allowed in (presenter, lead, chair_of(HERE), core):
        assert policy.can_view_family(allowed, family, TODAY)
    for refused in (person(Role.ADMIN), chair_of(ELSEWHERE), person(core_in=ELSEWHERE), person(call_on_in=HERE)):
        assert not policy.can_view_family(refused, family, TODAY)


def test_core_members_never_learn_a_family_through_an_anonymous_item_an_unpublished_agenda_or_withdrawn_consent():
    core = person(core_in=HERE)
    anonymous = family_item(meeting(), kind=DiscussionType.ANONYMOUS)
    unpublished = family_item(meeting(published=False))
    withdrawn = family_item(meeting(), consents=[consent(withdrawn=date(2026, 11, 28))])
    no_consent = family_item(meeting(), consents=[])
    for item in (anonymous, unpublished, withdrawn, no_consent):
        assert not policy.can_view_family(core, item.family, TODAY)
    assert policy.can_view_family(chair_of(HERE), withdrawn.family, TODAY)  # the record itself stays with them


def test_a_call_on_member_sees_the_family_only_with_their_item_while_its_window_is_open():
    called = person(call_on_in=HERE)
    item = family_item(meeting(), call_on=[called])
    assert policy.can_view_item_family(called, item, TODAY, WINDOW)
    assert not policy.can_view_family(called, item.family, TODAY)
    assert not policy.can_view_item_family(called, item, MEETING_DAY + timedelta(days=WINDOW + 1), WINDOW)
    anonymous = family_item(meeting(), kind=DiscussionType.ANONYMOUS, call_on=[called])
    assert not policy.can_view_item_family(called, anonymous, TODAY, WINDOW)
    assert not policy.can_view_item_family(chair_of(HERE), anonymous, TODAY, WINDOW)


def test_members_called_on_read_a_discussion_but_do_not_record_it_and_nobody_records_on_a_cancelled_meeting():
    called, core = person(call_on_in=HERE), person(core_in=HERE)
    item = family_item(meeting(), call_on=[called])
    assert policy.can_record_discussion(core, item, TODAY, WINDOW)
    assert policy.can_record_discussion(chair_of(HERE), item, TODAY, WINDOW)
    assert not policy.can_record_discussion(called, item, TODAY, WINDOW)
    cancelled = family_item(meeting(status=MeetingStatus.CANCELLED))
    assert not policy.can_record_discussion(chair_of(HERE), cancelled, TODAY, WINDOW)


def test_the_lead_practitioner_writes_to_the_family_or_the_presenter_while_there_is_no_lead():
    presenter, lead = person(), person()
    with_lead = family_item(meeting(), presenter=presenter, lead=lead)
    without_lead = family_item(meeting(), presenter=presenter)
    assert policy.can_write_family_letter(lead, with_lead, TODAY)
    assert not policy.can_write_family_letter(presenter, with_lead, TODAY)
    assert policy.can_write_family_letter(presenter, without_lead, TODAY)
    assert not policy.can_write_family_letter(chair_of(HERE), with_lead, TODAY)
    anonymous = family_item(meeting(), presenter=presenter, lead=lead, kind=DiscussionType.ANONYMOUS)
    assert not policy.can_write_family_letter(lead, anonymous, TODAY)


def test_only_the_lead_practitioner_and_editors_change_a_family_and_subject_access_is_the_admins_or_leads():
    presenter, lead = person(), person()
    family = family_item(meeting(), presenter=presenter, lead=lead).family
    assert policy.can_edit_family(presenter, family) and policy.can_edit_family(lead, family)
    assert policy.can_edit_family(chair_of(HERE), family)
    assert not policy.can_edit_family(person(core_in=HERE), family)
    assert policy.can_export_subject_access(person(Role.ADMIN), family)
    assert policy.can_export_subject_access(lead, family)
    assert not policy.can_export_subject_access(presenter, family)
    assert not policy.can_export_subject_access(chair_of(HERE), family)


# ---------------------------------------------------------------- agency checks


def test_a_check_is_answered_by_a_member_of_its_agency_who_may_see_the_family_while_the_meeting_is_open():
    school_member = person(core_in=HERE, agency=SCHOOL)
    item = family_item(meeting())
    check = AgencyCheck(item=item, family_id=item.family_id, agency_id=SCHOOL.id)
    assert policy.can_answer_check(school_member, check, TODAY, WINDOW)
    assert not policy.can_answer_check(person(core_in=HERE, agency=HEALTH), check, TODAY, WINDOW)
    assert not policy.can_answer_check(person(core_in=ELSEWHERE, agency=SCHOOL), check, TODAY, WINDOW)
    item.meeting.status = MeetingStatus.MINUTES_APPROVED
    assert not policy.can_answer_check(school_member, check, TODAY, WINDOW)


def test_a_check_closes_when_the_item_changes_family_or_sharing_is_not_agreed():
    school_member = person(core_in=HERE, agency=SCHOOL)
    item = family_item(meeting())
    stale = AgencyCheck(item=item, family_id=item.family_id + 1, agency_id=SCHOOL.id)
    assert not policy.can_answer_check(school_member, stale, TODAY, WINDOW)
    no_sharing = family_item(meeting(), consents=[consent(sharing=False)])
    assert not policy.checkable(no_sharing, TODAY)
    assert not policy.checkable(family_item(meeting(), kind=DiscussionType.ANONYMOUS), TODAY)


def test_a_member_answers_for_the_agency_of_their_seat_in_that_locality_else_their_own():
    seated = person(agency=HEALTH)
    seated.memberships.append(Membership(locality_id=HERE, kind=MembershipKind.CORE, seat=Seat(agency=SCHOOL)))
    assert policy.member_agency(seated, HERE) is SCHOOL
    assert policy.member_agency(seated, ELSEWHERE) is HEALTH


# ---------------------------------------------------------------- minutes, agenda, actions


def test_the_minutes_show_readers_together_what_any_of_them_may_see():
    published = meeting()
    called = person(call_on_in=HERE)
    theirs, other = family_item(published, call_on=[called]), family_item(published)
    alone = policy.minutes_view([called], published, TODAY, WINDOW)
    assert alone.shows(theirs.id) and not alone.shows(other.id) and not alone.whole_meeting
    together = policy.minutes_view([called, person(core_in=HERE)], published, TODAY, WINDOW)
    assert together.items == {theirs.id, other.id} and together.whole_meeting
    assert policy.minutes_view([person(core_in=ELSEWHERE)], published, TODAY, WINDOW).items == frozenset()


def test_agenda_permissions_are_the_item_rules_applied_to_every_item():
    published = meeting()
    called, lead = person(call_on_in=HERE), person()
    theirs = family_item(published, call_on=[called], lead=lead)
    theirs.discussion = Discussion()
    other = family_item(published)
    for user in (called, lead, person(core_in=HERE)):
        allowed = policy.agenda_permissions(user, published.items, TODAY, WINDOW)
        for item in (theirs, other):
            assert (item.id in allowed.visible) == policy.can_see_item(user, item, TODAY, WINDOW)
            assert (item.id in allowed.recordable) == policy.can_record_discussion(user, item, TODAY, WINDOW)
    assert policy.agenda_permissions(lead, published.items, TODAY, WINDOW).letters == {theirs.id}
    assert policy.agenda_permissions(called, published.items, TODAY, WINDOW).recordable == frozenset()


@pytest.mark.parametrize("meeting_level", [True, False])
def test_an_action_is_seen_by_its_owner_and_whoever_sees_its_item_and_updated_by_its_owner_or_managers(
    meeting_level,
):
    published = meeting()
    owner, called, core = person(), person(call_on_in=HERE), person(core_in=HERE)
    item = family_item(published, call_on=[called])
    action = Action(owner_id=owner.id, meeting=published)
    if not meeting_level:
        action.discussion = Discussion(item=item)
    assert policy.can_view_action(owner, action, TODAY, WINDOW)
    assert policy.can_view_action(core, action, TODAY, WINDOW)
    assert policy.can_view_action(called, action, TODAY, WINDOW)
    assert not policy.can_view_action(person(core_in=ELSEWHERE), action, TODAY, WINDOW)
    assert policy.can_update_action(owner, action) and policy.can_update_action(chair_of(HERE), action)
    assert not policy.can_update_action(core, action)


def test_a_core_member_reads_only_the_history_that_names_the_family_to_them_and_its_editors_read_all_of_it():
    lead, core = person(), person(core_in=HERE)
    named = family_item(meeting(), lead=lead)
    family = named.family
    anonymous = AgendaItem(
        id=next(_ids), kind=ItemKind.DISCUSSION, family=family, discussion_type=DiscussionType.ANONYMOUS
    )
    meeting().items.append(anonymous)
    history = [named, anonymous]
    assert policy.visible_history(lead, family, history, TODAY, WINDOW) == history
    assert policy.visible_history(chair_of(HERE), family, history, TODAY, WINDOW) == history
    assert policy.visible_history(core, family, history, TODAY, WINDOW) == [named]
