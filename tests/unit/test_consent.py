from datetime import date

import pytest

from lehc.consent import (
    consent_for_meeting,
    consent_in_force,
    default_expiry,
    sharing_allowed,
    valid_consent,
)
from lehc.models import Consent, ConsentMethod, Family, FamilyMember, MemberKind
from lehc.redaction import anonymous_label

GIVEN, EXPIRES = date(2026, 3, 1), date(2027, 3, 1)


def consent(**changes) -> Consent:
    values = {
        "given_by_name": "Parent",
        "given_by_relationship": "Mother",
        "given_on": GIVEN,
        "method": ConsentMethod.VERBAL,
        "covers_discussion": True,
        "covers_sharing": True,
        "expires_on": EXPIRES,
    }
    values.update(changes)
    return Consent(**values)


@pytest.mark.parametrize(
    "on, expected",
    [
        (date(2026, 2, 28), False),  # before it was given
        (GIVEN, True),  # the day it was given
        (date(2026, 9, 1), True),
        (EXPIRES, True),  # the expiry day itself still counts
        (date(2027, 3, 2), False),  # expired
    ],
)
def test_consent_is_in_force_from_the_day_given_to_the_expiry_day(on, expected):
    assert consent_in_force(consent(), on) is expected


@pytest.mark.parametrize(
    "on, expected", [(date(2026, 5, 31), True), (date(2026, 6, 1), False), (date(2026, 12, 1), False)]
)
def test_withdrawn_consent_stops_on_the_withdrawal_date(on, expected):
    assert consent_in_force(consent(withdrawn_on=date(2026, 6, 1)), on) is expected


def test_consent_that_does_not_cover_discussion_is_not_valid():
    assert not consent_in_force(consent(covers_discussion=False), date(2026, 6, 1))


def test_the_family_has_valid_consent_when_any_record_is_in_force():
    family = Family(consents=[consent(withdrawn_on=date(2026, 4, 1)), consent(given_on=date(2026, 5, 1))])
    assert valid_consent(family, date(2026, 3, 15)) is not None
    assert valid_consent(family, date(2026, 4, 15)) is None  # the first was withdrawn, the second not yet given
    assert valid_consent(family, date(2026, 6, 1)).given_on == date(2026, 5, 1)
    assert valid_consent(Family(consents=[]), date(2026, 6, 1)) is None


def test_default_expiry_is_twelve_months_and_handles_month_ends():
    assert default_expiry(date(2026, 3, 1)) == date(2027, 3, 1)
    assert default_expiry(date(2028, 2, 29)) == date(2029, 2, 28)
    assert default_expiry(date(2026, 1, 31), months=1) == date(2026, 2, 28)


def test_the_anonymous_label_gives_ages_only():
    family = Family(
        members=[
            FamilyMember(kind=MemberKind.CHILD, name="Kayden Smith", date_of_birth=date(2019, 6, 2)),
            FamilyMember(kind=MemberKind.CHILD, name="Maisie Smith", date_of_birth=date(2014, 1, 10)),
            FamilyMember(kind=MemberKind.ADULT, name="Jo Smith", relationship_to_child="Mother"),
        ]
    )
    assert anonymous_label(family, date(2026, 6, 1)) == "Family consulted anonymously; children aged 6 and 12"
    assert anonymous_label(family, date(2026, 6, 2)) == "Family consulted anonymously; children aged 7 and 12"
    one = Family(members=[FamilyMember(kind=MemberKind.CHILD, name="A", date_of_birth=date(2019, 1, 1))])
    assert anonymous_label(one, date(2026, 6, 1)) == "Family consulted anonymously; child aged 7"
    assert anonymous_label(Family(members=[]), date(2026, 6, 1)) == "Family consulted anonymously"


@pytest.mark.parametrize(
    "withdrawn_on, today, names",
    [
        (None, date(2026, 9, 1), True),  # never withdrawn
        (date(2026, 8, 1), date(2026, 7, 31), True),  # after the meeting, not yet
        (date(2026, 8, 1), date(2026, 8, 1), False),  # from the day it is withdrawn, the past meeting too
        (date(2026, 5, 1), date(2026, 9, 1), False),  # withdrawn before the meeting
    ],
)
def test_a_withdrawal_unnames_the_family_for_every_meeting_from_that_day(withdrawn_on, today, names):
    family = Family(consents=[consent(withdrawn_on=withdrawn_on)])
    assert (consent_for_meeting(family, date(2026, 6, 1), today) is not None) is names
    assert sharing_allowed(family, date(2026, 6, 1), today) is names


def test_a_consent_given_after_a_withdrawal_names_only_the_meetings_it_covers():
    family = Family(
        consents=[consent(withdrawn_on=date(2026, 6, 1)), consent(given_on=date(2026, 7, 1), covers_sharing=False)]
    )
    assert consent_for_meeting(family, date(2026, 5, 1), date(2026, 9, 1)) is None
    assert consent_for_meeting(family, date(2026, 8, 1), date(2026, 9, 1)).given_on == date(2026, 7, 1)
    assert not sharing_allowed(family, date(2026, 8, 1), date(2026, 9, 1))
