"""Routes of the minutes area: the meeting in progress and its minutes, and each item's discussion and the family
letter that follows it; importing this package registers them on the blueprint."""

from lehc.minutes.views import discussion, meeting  # noqa: F401
