"""Typed SQLAlchemy models, one module per aggregate."""

from lehc.models.people import Membership, MembershipKind, Role, User
from lehc.models.reference import Agency, AgencySector, Locality, Seat

__all__ = ["Agency", "AgencySector", "Locality", "Membership", "MembershipKind", "Role", "Seat", "User"]
