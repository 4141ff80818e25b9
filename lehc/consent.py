"""Consent: the one place that decides whether a family may be discussed by name on a date."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from lehc.models import Consent, Family

DEFAULT_CONSENT_MONTHS = 12


def default_expiry(given_on: date, months: int = DEFAULT_CONSENT_MONTHS) -> date:
    return given_on + relativedelta(months=months)


def consent_in_force(consent: Consent, on: date) -> bool:
    """Given on or before the day, not expired by it (the expiry day itself still counts), not withdrawn by it,
    and covering discussion at the LEHC."""
    if not consent.covers_discussion:
        return False
    if consent.given_on > on or consent.expires_on < on:
        return False
    return consent.withdrawn_on is None or consent.withdrawn_on > on


def valid_consent(family: Family, on: date) -> Consent | None:
    """The consent that lets the family be discussed by name on that day, if any."""
    in_force = [consent for consent in family.consents if consent_in_force(consent, on)]
    return max(in_force, key=lambda consent: consent.expires_on, default=None)


def consent_for_meeting(family: Family, meeting_day: date, today: date) -> Consent | None:
    """The consent that lets the family be named for a meeting on `meeting_day`, as things stand `today`: in force
    on the meeting day and not withdrawn since. A withdrawal closes every meeting's record from the day it is
    recorded, those already held included; a consent given later opens only the meetings it covers."""
    in_force = [
        consent
        for consent in family.consents
        if consent_in_force(consent, meeting_day) and (consent.withdrawn_on is None or consent.withdrawn_on > today)
    ]
    return max(in_force, key=lambda consent: consent.expires_on, default=None)


def sharing_allowed(family: Family, meeting_day: date, today: date) -> bool:
    """Whether partner agencies may be asked about the family for that meeting: a consent that names it for the
    meeting (see consent_for_meeting) and also covers sharing information between the agencies at the table."""
    consent = consent_for_meeting(family, meeting_day, today)
    return consent is not None and consent.covers_sharing
