"""Routes of the administration area (administrators only)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc.admin import bp, services
from lehc.admin.forms import AreaForm, KindSeatsForm, LocalityForm, MembershipForm, NewUserForm, TermForm, UserForm
from lehc.audit import action_label, audit, record_label
from lehc.extensions import db
from lehc.forms import page_number
from lehc.meetings.services import meeting_kinds
from lehc.models import Area, Locality, MeetingKind, MembershipKind, Role, SchoolTerm, User
from lehc.policy import requires_role
from lehc.reference_data import all_areas, all_localities
from lehc.terms import all_terms

admin_only = requires_role(Role.ADMIN)

SECOND_ADMINISTRATOR = "Another administrator must change your own role and localities"


def _audit_access(action: str, user: User, detail: str) -> None:
    """Changes to who can reach families are audited: who did it (the event's user), to whom, what, when."""
    audit(action, "user", user.id, detail=f"{user.email}: {detail}")


@bp.get("/users")
@admin_only
def list_users() -> ResponseReturnValue:
    return render_template("admin/users.html", users=services.users_for_admin())


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def create_user() -> ResponseReturnValue:
    form = NewUserForm()
    if form.validate_on_submit():
        user = services.create_user(
            name=form.name.data,
            email=form.email.data,
            job_title=form.job_title.data or "",
            agency_id=form.agency_id.data,
            role=Role(form.role.data),
            password=form.password.data,
        )
        _audit_access("create_user", user, f"role {user.role.value}")
        flash(f"User {user.name} created. Now add the localities where they sit.", "success")
        return redirect(url_for("admin.view_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, title="Add a user")


@bp.get("/users/<int:user_id>")
@admin_only
def view_user(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    return render_template("admin/user.html", user=user)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, user_id=user.id)
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != user.role.value:
            form.role.errors = [SECOND_ADMINISTRATOR]
        else:
            changes = services.update_user(
                user,
                name=form.name.data,
                email=form.email.data,
                job_title=form.job_title.data or "",
                agency_id=form.agency_id.data,
                role=Role(form.role.data),
            )
            if changes:
                _audit_access("update_user", user, "; ".join(changes))
            flash("User details saved", "success")
            return redirect(url_for("admin.view_user", user_id=user.id))
    if not form.is_submitted():
        form.role.data = user.role.value
    return render_template("admin/user_form.html", form=form, user=user, title=f"Edit {user.name}")


@bp.post("/users/<int:user_id>/deactivate")
@admin_only
def deactivate_user(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account", "info")
    else:
        services.set_active(user, False)
        _audit_access("deactivate_user", user, "deactivated")
        flash(f"{user.name} is deactivated and can no longer sign in", "success")
    return redirect(url_for("admin.view_user", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-two-factor")
@admin_only
def reset_two_factor(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    services.reset_two_factor(user)
    audit("reset_two_factor", "user", user.id)
    flash(f"{user.name} will set up their authenticator app again at their next sign-in", "success")
    return redirect(url_for("admin.view_user", user_id=user.id))


@bp.post("/users/<int:user_id>/reactivate")
@admin_only
def reactivate_user(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    services.set_active(user, True)
    _audit_access("reactivate_user", user, "reactivated")
    flash(f"{user.name} can sign in again", "success")
    return redirect(url_for("admin.view_user", user_id=user.id))


@bp.route("/users/<int:user_id>/memberships/new", methods=["GET", "POST"])
@admin_only
def add_membership(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(SECOND_ADMINISTRATOR, "info")
        return redirect(url_for("admin.view_user", user_id=user.id))
    form = MembershipForm(user_id=user.id)
    if form.validate_on_submit():
        membership = services.add_membership(
            user, locality_id=form.locality_id.data, kind=MembershipKind(form.kind.data), seat_id=form.seat_id.data
        )
        _audit_access("grant_membership", user, services.describe_membership(membership))
        flash("Membership added", "success")
        return redirect(url_for("admin.view_user", user_id=user.id))
    return render_template(
        "admin/membership_form.html", form=form, user=user, title=f"Add a membership for {user.name}"
    )


@bp.post("/users/<int:user_id>/memberships/<int:membership_id>/remove")
@admin_only
def remove_membership(user_id: int, membership_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(SECOND_ADMINISTRATOR, "info")
        return redirect(url_for("admin.view_user", user_id=user.id))
    membership = services.remove_membership(user, membership_id)
    if membership is None:
        abort(404)
    _audit_access("revoke_membership", user, services.describe_membership(membership))
    flash("Membership removed", "success")
    return redirect(url_for("admin.view_user", user_id=user.id))


@bp.get("/localities")
@admin_only
def list_localities() -> ResponseReturnValue:
    kinds = [(kind, services.kind_seats(kind.code, None)) for kind in meeting_kinds()]
    return render_template("admin/localities.html", localities=all_localities(), kinds=kinds)


@bp.route("/localities/<int:locality_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_locality(locality_id: int) -> ResponseReturnValue:
    locality = db.get_or_404(Locality, locality_id)
    form = LocalityForm(obj=locality, locality_id=locality.id)
    if form.validate_on_submit():
        services.update_locality(locality, form.name.data, form.deadline_days)
        audit(
            "update",
            "locality",
            locality.id,
            detail=f"{locality.code}: agenda closes {locality.agenda_deadline_days} days before",
        )
        flash("Locality saved", "success")
        return redirect(url_for("admin.list_localities"))
    seats = [
        (kind, services.kind_seats(kind.code, locality.id), services.kind_seats(kind.code, None))
        for kind in meeting_kinds()
    ]
    return render_template(
        "admin/locality_form.html", form=form, locality=locality, seats=seats, title=f"Edit {locality.name}"
    )


def _seats_page(kind: MeetingKind, locality: Locality | None) -> ResponseReturnValue:
    """Choose the seats whose holders a kind's meetings invite: a locality's own, or the county default."""
    form = KindSeatsForm(kind=kind)
    locality_id = locality.id if locality else None
    back = url_for("admin.edit_locality", locality_id=locality.id) if locality else url_for("admin.list_localities")
    if form.validate_on_submit():
        services.set_kind_seats(kind.code, locality_id, form.seats.data)
        _audit_seats(kind, locality)
        flash(f"Seats saved for {_seats_scope(kind, locality)}", "success")
        return redirect(back)
    if not form.is_submitted():
        own = services.kind_seats(kind.code, locality_id)
        form.seats.data = [seat.id for seat in own or services.kind_seats(kind.code, None)]
    return render_template(
        "admin/kind_seats.html",
        form=form,
        kind=kind,
        locality=locality,
        own=bool(locality and services.kind_seats(kind.code, locality_id)),
        back=back,
        title=f"Seats for {_seats_scope(kind, locality)}",
    )


def _kind(kind_code: str) -> MeetingKind:
    return db.get_or_404(MeetingKind, kind_code)


def _seats_scope(kind: MeetingKind, locality: Locality | None) -> str:
    return f"{locality.name} {kind.short_name}" if locality else f"every {kind.short_name} (county default)"


def _audit_seats(kind: MeetingKind, locality: Locality | None) -> None:
    names = ", ".join(seat.name for seat in services.kind_seats(kind.code, locality.id if locality else None))
    scope = locality.code if locality else "county default"
    audit("update", "kind_seats", locality.id if locality else None, detail=f"{kind.code}, {scope}: {names or 'none'}")


@bp.route("/meeting-kinds/<kind_code>/seats", methods=["GET", "POST"])
@admin_only
def edit_default_seats(kind_code: str) -> ResponseReturnValue:
    return _seats_page(_kind(kind_code), None)


@bp.post("/meeting-kinds/<kind_code>/seats/clear")
@admin_only
def clear_default_seats(kind_code: str) -> ResponseReturnValue:
    """The kind's meetings invite every core member of the locality again (as the LEHC does)."""
    kind = _kind(kind_code)
    services.set_kind_seats(kind.code, None, [])
    _audit_seats(kind, None)
    flash(f"Every {kind.short_name} now invites every core member of its locality", "success")
    return redirect(url_for("admin.list_localities"))


@bp.route("/localities/<int:locality_id>/meeting-kinds/<kind_code>/seats", methods=["GET", "POST"])
@admin_only
def edit_locality_seats(locality_id: int, kind_code: str) -> ResponseReturnValue:
    return _seats_page(_kind(kind_code), db.get_or_404(Locality, locality_id))


@bp.post("/localities/<int:locality_id>/meeting-kinds/<kind_code>/seats/clear")
@admin_only
def clear_locality_seats(locality_id: int, kind_code: str) -> ResponseReturnValue:
    """The locality's meetings of the kind follow the county default again."""
    kind, locality = _kind(kind_code), db.get_or_404(Locality, locality_id)
    services.set_kind_seats(kind.code, locality.id, [])
    _audit_seats(kind, locality)
    flash(f"{locality.name} {kind.short_name} now follows the county default", "success")
    return redirect(url_for("admin.edit_locality", locality_id=locality.id))


@bp.get("/audit")
@admin_only
def audit_log() -> ResponseReturnValue:
    """Read-only: the app offers no way to change or delete audit events."""
    filters = {
        "user_email": request.args.get("user_email", "").strip()[:254],
        "action": request.args.get("action", "").strip()[:40],
        "family_reference": request.args.get("family_reference", "").strip()[:20],
    }
    page = request.args.get("page", 1, type=page_number)
    events, has_more = services.audit_events(**filters, page=page)
    return render_template(
        "admin/audit.html",
        events=events,
        filters=filters,
        page=page,
        has_more=has_more,
        actions=services.audit_actions(),
        references=services.family_references({e.family_id for e in events if e.family_id}),
        action_label=action_label,
        record_label=record_label,
    )


@bp.get("/access")
@admin_only
def access_review() -> ResponseReturnValue:
    """Who can reach which locality, for the periodic access review."""
    return render_template(
        "admin/access.html",
        localities=services.access_by_locality(),
        admins=services.admins(),
        recent=services.recent_access_changes(),
    )


@bp.get("/subject-access")
@admin_only
def subject_access() -> ResponseReturnValue:
    """Find a family by reference to answer a subject access request; the page itself shows no family data."""
    reference = request.args.get("reference", "").strip().upper()[:20]
    family = services.family_by_reference(reference) if reference else None
    return render_template("admin/subject_access.html", reference=reference, family=family)


# ---------------------------------------------------------------- the Early Help Forums' areas and the school terms


@bp.get("/areas")
@admin_only
def list_areas() -> ResponseReturnValue:
    unplaced = [locality for locality in all_localities() if locality.area is None]
    return render_template("admin/areas.html", areas=all_areas(), unplaced=unplaced, title="Areas")


def _area_page(area: Area | None) -> ResponseReturnValue:
    form = AreaForm(obj=area, area_id=area.id if area else None)
    if area is not None and not form.is_submitted():
        form.localities.data = [locality.id for locality in area.localities]
    if form.validate_on_submit():
        saved = area or Area()
        services.save_area(saved, form.name.data, form.localities.data or [])
        places = ", ".join(locality.code for locality in saved.localities) or "no localities"
        audit("create" if area is None else "update", "area", saved.id, detail=f"{saved.name}: {places}")
        flash(f"Area {saved.name} saved", "success")
        return redirect(url_for("admin.list_areas"))
    title = f"Change {area.name}" if area else "Add an area"
    return render_template("admin/area_form.html", form=form, area=area, title=title)


@bp.route("/areas/new", methods=["GET", "POST"])
@admin_only
def create_area() -> ResponseReturnValue:
    return _area_page(None)


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_area(area_id: int) -> ResponseReturnValue:
    return _area_page(db.get_or_404(Area, area_id))


@bp.get("/terms")
@admin_only
def list_terms() -> ResponseReturnValue:
    return render_template("admin/terms.html", terms=all_terms(), title="School terms")


def _term_page(term: SchoolTerm | None) -> ResponseReturnValue:
    form = TermForm(obj=term, term_id=term.id if term else None)
    if form.validate_on_submit():
        saved = term or SchoolTerm()
        services.save_term(saved, form.name.data, form.starts_on.data, form.ends_on.data)
        detail = f"{saved.name}: {saved.starts_on} to {saved.ends_on}"
        audit("create" if term is None else "update", "school_term", saved.id, detail=detail)
        flash(f"{saved.name} saved", "success")
        return redirect(url_for("admin.list_terms"))
    title = f"Change {term.name}" if term else "Add a school term"
    return render_template("admin/term_form.html", form=form, term=term, title=title)


@bp.route("/terms/new", methods=["GET", "POST"])
@admin_only
def create_term() -> ResponseReturnValue:
    return _term_page(None)


@bp.route("/terms/<int:term_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_term(term_id: int) -> ResponseReturnValue:
    return _term_page(db.get_or_404(SchoolTerm, term_id))


@bp.post("/terms/<int:term_id>/remove")
@admin_only
def remove_term(term_id: int) -> ResponseReturnValue:
    term = db.get_or_404(SchoolTerm, term_id)
    audit("delete", "school_term", term.id, detail=f"{term.name}: {term.starts_on} to {term.ends_on}")
    db.session.delete(term)
    flash(f"{term.name} removed", "success")
    return redirect(url_for("admin.list_terms"))
