"""Downloads. Redaction and access are the same as on screen, every export is audited, and file names carry
the locality and date, never a family name."""

import io
import zipfile

from flask import abort, request
from flask.typing import ResponseReturnValue

from lehc import policy
from lehc.audit import audit
from lehc.dates import to_london
from lehc.downloads import DOCX, attachment, slug
from lehc.exports import bp
from lehc.forms import record_id
from lehc.minutes import services as minutes_services
from lehc.minutes.access import for_reader, minutes_manager, minutes_reader
from lehc.minutes.content import Minutes
from lehc.minutes.documents import agenda_document, minutes_document
from lehc.models import LEHC, AttendanceStatus, Meeting, User


def file_name(kind: str, meeting: Meeting, suffix: str = "", extension: str = "docx") -> str:
    """LEHC-minutes-durham-2026-12-03.docx; a meeting of another kind says which: LEHC-step-minutes-durham-..."""
    day = to_london(meeting.starts_at).date().isoformat()
    extra = f"-{slug(suffix)}" if suffix else ""
    of_kind = "" if meeting.kind_code == LEHC else f"-{meeting.kind_code}"
    return f"LEHC{of_kind}-{kind}-{slug(meeting.place)}-{day}{extra}.{extension}"


@bp.get("/meetings/<int:meeting_id>/minutes.docx")
@minutes_reader
def minutes_docx(meeting: Meeting) -> ResponseReturnValue:
    number = request.args.get("version", type=record_id)
    if number is not None and minutes_services.version_numbered(meeting, number) is None:
        abort(404)
    minutes = for_reader(minutes_services.minutes_for(meeting, number), meeting)
    audit(
        "export", "minutes", meeting.id, detail=f"{meeting.reference} docx" + (f" version {number}" if number else "")
    )
    return attachment(minutes_document(minutes), file_name("minutes", meeting), mimetype=DOCX)


@bp.get("/meetings/<int:meeting_id>/agenda.docx")
@minutes_reader
def agenda_docx(meeting: Meeting) -> ResponseReturnValue:
    minutes = for_reader(minutes_services.live_minutes(meeting), meeting)
    shown = {item.item_id for item in minutes.items if not item.restricted}
    call_on = {item.id: [u.name for u in item.call_on_members] for item in meeting.items if item.id in shown}
    audit("export", "agenda", meeting.id, detail=f"{meeting.reference} docx")
    return attachment(
        agenda_document(minutes, call_on, online_link=meeting.online_link), file_name("agenda", meeting), mimetype=DOCX
    )


def agency_copies(meeting: Meeting, minutes: Minutes) -> dict[str, Minutes]:
    """One copy per attending agency, holding only what that agency's attendees could see (policy.distribution_view)."""
    attending: dict[str, list[User]] = {}
    for row in minutes_services.attendance_for(meeting):
        if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY) and row.user.agency:
            attending.setdefault(row.user.agency.name, []).append(row.user)
    copies = {}
    for agency, users in sorted(attending.items()):
        view = policy.distribution_view(users, meeting)
        copies[agency] = minutes.restricted_to(view.shows, whole_meeting=view.whole_meeting)
    return copies


@bp.get("/meetings/<int:meeting_id>/distribution.zip")
@minutes_manager
def distribution_copies(meeting: Meeting) -> ResponseReturnValue:
    version = minutes_services.latest_version(meeting)
    if version is None:
        abort(404)
    buffer = io.BytesIO()
    copies = agency_copies(meeting, Minutes.from_json(version.content))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for agency, copy in copies.items():
            archive.writestr(file_name("minutes", meeting, agency), minutes_document(copy, copy_for=agency))
    audit(
        "export",
        "minutes_distribution",
        meeting.id,
        detail=f"{meeting.reference} version {version.number}: {len(copies)} agency copies",
    )
    return attachment(
        buffer.getvalue(), file_name("minutes-distribution", meeting, extension="zip"), mimetype="application/zip"
    )
