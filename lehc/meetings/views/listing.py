"""The meetings list: every meeting the user may see, upcoming or past, by locality, status and date range."""

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lehc import policy
from lehc.forms import filter_args, page_number
from lehc.meetings import bp, services
from lehc.meetings.forms import MeetingFilterForm
from lehc.models import MeetingStatus
from lehc.policy import signed_in
from lehc.reference_data import all_areas, all_localities

PAGE_SIZE = 25


@bp.get("/meetings")
@signed_in
def list_meetings() -> ResponseReturnValue:
    form = MeetingFilterForm(request.args)
    mine = {membership.locality_id for membership in current_user.memberships}
    localities = [locality for locality in all_localities() if locality.id in mine]
    form.locality.choices = [SelectChoice(0, "All my localities")] + [
        SelectChoice(locality.id, locality.name) for locality in localities
    ]
    kinds = services.meeting_kinds()
    form.kind.choices = [SelectChoice("", "Every kind of meeting")] + [SelectChoice(k.code, k.name) for k in kinds]
    valid = form.validate() if request.args else True
    chosen = services.MeetingFilter()
    if valid and request.args:
        chosen = services.MeetingFilter(
            when=form.when.data,
            kind_code=form.kind.data or None,
            locality_id=form.locality.data or None,
            status=MeetingStatus(form.status.data) if form.status.data else None,
            since=form.since.data,
            until=form.until.data,
        )
    forum_areas = [area for area in all_areas() if policy.can_schedule_forum(current_user, area)]
    page = request.args.get("page", 1, type=page_number)
    total, meetings = services.find_meetings(current_user, chosen, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    query = filter_args(request.args, "when", "kind", "locality", "status", "since", "until")
    return render_template(
        "meetings/list.html",
        form=form,
        chosen=chosen,
        meetings=meetings,
        total=total,
        page=page,
        has_more=total > page * PAGE_SIZE,
        query=query,
        discussions=services.discussion_counts(meetings),
        managed=[locality for locality in localities if policy.can_manage_locality(current_user, locality)],
        forum_areas=forum_areas,
        list_sizes=services.list_sizes([area.id for area in forum_areas]),
    )
