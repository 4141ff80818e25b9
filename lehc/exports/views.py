"""Downloads. Redaction and access are the same as on screen, every export is audited, and file names carry
the locality and date, never a family name."""

import io
import zipfile

from flask import abort, request

from lehc import policy
from lehc.audit import audit
from lehc.dates import to_london
from lehc.downloads import DOCX, attachment, slug
from lehc.exports import bp, word
from lehc.forms import record_id
from lehc.minutes import services as minutes_services
from lehc.minutes.access import for_reader, minutes_manager, minutes_reader
from lehc.minutes.content import Minutes
from lehc.models import AttendanceStatus, Meeting


def file_name(kind: str, meeting: Meeting, suffix: str = "", extension: str = "docx") -> str:
    day = to_london(meeting.starts_at).date().isoformat()
    extra = f"-{slug(suffix)}" if suffix else ""
    return f"LEHC-{kind}-{slug(meeting.locality.name)}-{day}{extra}.{extension}"


@bp.get("/meetings/<int:meeting_id>/minutes.docx")
@minutes_reader
def minutes_docx(meeting: Meeting):
    number = request.args.get("version", type=record_id)
    if number is not None and minutes_services.version_numbered(meeting, number) is None:
        abort(404)
    minutes = for_reader(minutes_services.minutes_for(meeting, number), meeting)
    audit(
        "export", "minutes", meeting.id, detail=f"{meeting.reference} docx" + (f" version {number}" if number else "")
    )
    return attachment(word.minutes_document(minutes), file_name("minutes", meeting), mimetype=DOCX)


@bp.get("/meetings/<int:meeting_id>/agenda.docx")
@minutes_reader
def agenda_docx(meeting: Meeting):
    minutes = for_reader(minutes_services.live_minutes(meeting), meeting)
    shown = {item.item_id for item in minutes.items if not item.restricted}
    call_on = {item.id: [u.name for u in item.call_on_members] for item in meeting.items if item.id in shown}
    audit("export", "agenda", meeting.id, detail=f"{meeting.reference} docx")
    return attachment(word.agenda_document(minutes, call_on), file_name("agenda", meeting), mimetype=DOCX)


def agency_copies(meeting: Meeting, minutes: Minutes) -> dict[str, Minutes]:
    """One copy per attending agency, holding only what that agency's attendees may see."""
    meeting_day = to_london(meeting.starts_at).date()
    window = 0  # judged on the meeting day itself, so copies made later do not change
    items = {item.id: item for item in meeting.items}
    attending: dict[str, list] = {}
    for row in minutes_services.attendance_for(meeting):
        if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY) and row.user.agency:
            attending.setdefault(row.user.agency.name, []).append(row.user)
    copies = {}
    for agency, users in sorted(attending.items()):

        def may_see(item_id: int, users=users) -> bool:
            item = items.get(item_id)
            return item is not None and any(policy.can_see_item(user, item, meeting_day, window) for user in users)

        whole = any(policy.sees_whole_meeting(user, meeting) for user in users)
        copies[agency] = minutes.restricted_to(may_see, whole_meeting=whole)
    return copies


@bp.get("/meetings/<int:meeting_id>/distribution.zip")
@minutes_manager
def distribution_copies(meeting: Meeting):
    version = minutes_services.latest_version(meeting)
    if version is None:
        abort(404)
    buffer = io.BytesIO()
    copies = agency_copies(meeting, Minutes.from_json(version.content))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for agency, copy in copies.items():
            archive.writestr(file_name("minutes", meeting, agency), word.minutes_document(copy))
    audit(
        "export",
        "minutes_distribution",
        meeting.id,
        detail=f"{meeting.reference} version {version.number}: {len(copies)} agency copies",
    )
    return attachment(
        buffer.getvalue(), file_name("minutes-distribution", meeting, extension="zip"), mimetype="application/zip"
    )
