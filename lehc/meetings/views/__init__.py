"""Routes of the meetings area, one module per concern; importing this package registers them on the blueprint."""

from lehc.meetings.views import agency_checks, agenda, forums, invites, listing, localities, meeting, outbox  # noqa: F401
