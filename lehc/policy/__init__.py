"""Who may see and do what: the single source of access rules.

Routes declare their permission (`routes`: public, signed in, a role; `lehc.access.record` with a predicate from
here for a route that names a record). Record-level rules are plain predicates, one module per area: `meetings`
(meetings, items, minutes), `families` (need-to-know), `agenda` (per item, for a whole agenda), `actions`,
`agency_checks`, `outbox`, `seats` (who sits at a kind's meetings); `clauses` holds their SQL
twins for lists. Callers use `from lehc import policy` and `policy.<rule>`.
"""

from lehc.policy.actions import can_update_action, can_view_action
from lehc.policy.agency_checks import can_answer_check, checkable, member_agency, member_agency_column
from lehc.policy.agenda import AgendaPermissions, agenda_permissions
from lehc.policy.clauses import (
    names_family_clause,
    visible_action_clause,
    visible_family_clause,
    visible_item_clause,
    visible_meeting_clause,
    visible_outbox_clause,
)
from lehc.policy.families import (
    can_edit_family,
    can_export_subject_access,
    can_record_discussion,
    can_view_family,
    can_view_item_family,
    can_write_family_letter,
    names_family,
    visible_history,
)
from lehc.policy.meetings import (
    MinutesView,
    call_on_window_open,
    can_approve_minutes,
    can_manage_locality,
    can_manage_meeting,
    can_manage_meetings,
    can_read_pack,
    can_schedule_forum,
    can_see_item,
    can_see_locality_meetings,
    can_view_meeting,
    distribution_view,
    forum_host,
    is_called_on,
    is_core_member,
    minutes_view,
    sees_whole_meeting,
    sits_at_meeting,
)
from lehc.policy.outbox import can_resend, can_see_outbox_message
from lehc.policy.routes import (
    PERMISSION_ATTRIBUTE,
    can_manage_users,
    public,
    requires_role,
    signed_in,
    signed_in_user,
    user_has_role,
)
from lehc.policy.seats import (
    core_table_clause,
    holds_kind_seat,
    kind_seat_clause,
    kind_seat_ids,
    kind_seat_places,
    seated_at,
)

__all__ = [
    "AgendaPermissions",
    "agenda_permissions",
    "PERMISSION_ATTRIBUTE",
    "MinutesView",
    "call_on_window_open",
    "can_answer_check",
    "can_approve_minutes",
    "can_resend",
    "can_see_outbox_message",
    "can_edit_family",
    "can_export_subject_access",
    "can_manage_locality",
    "can_schedule_forum",
    "forum_host",
    "can_manage_meeting",
    "can_manage_meetings",
    "can_manage_users",
    "can_read_pack",
    "can_record_discussion",
    "can_see_item",
    "can_see_locality_meetings",
    "can_update_action",
    "can_view_action",
    "can_view_family",
    "can_view_item_family",
    "can_view_meeting",
    "can_write_family_letter",
    "checkable",
    "is_called_on",
    "is_core_member",
    "member_agency",
    "member_agency_column",
    "distribution_view",
    "minutes_view",
    "names_family",
    "names_family_clause",
    "public",
    "requires_role",
    "sees_whole_meeting",
    "sits_at_meeting",
    "core_table_clause",
    "holds_kind_seat",
    "kind_seat_clause",
    "kind_seat_ids",
    "kind_seat_places",
    "seated_at",
    "signed_in",
    "signed_in_user",
    "user_has_role",
    "visible_action_clause",
    "visible_family_clause",
    "visible_history",
    "visible_item_clause",
    "visible_meeting_clause",
    "visible_outbox_clause",
]
