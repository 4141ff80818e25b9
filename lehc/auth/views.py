from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from lehc.auth import bp
from lehc.auth.forms import SignInForm
from lehc.auth.services import authenticate
from lehc.policy import public, signed_in


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site (no scheme, no host)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            destination = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session at sign-in: nothing carried over from before
            login_user(user)
            return redirect(destination)
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@signed_in
def sign_out():
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))
