"""Routes for signing in (password, then code), signing out, and changing or resetting a password."""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lehc.audit import audit
from lehc.auth import bp, reset, throttle, two_factor
from lehc.auth.forms import ChangePasswordForm, CodeForm, ForgotPasswordForm, ResetPasswordForm, SignInForm
from lehc.auth.services import authenticate
from lehc.auth.sessions import (
    begin_second_step,
    end_every_session,
    end_session,
    pending_user,
    record_failed_code,
    start_session,
    throttled_message,
    two_factor_required,
)
from lehc.extensions import db, limiter
from lehc.mail import send_now_if_configured
from lehc.models import User
from lehc.policy import public, signed_in, signed_in_user


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site (no scheme, no host)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        result = authenticate(form.email.data, form.password.data, client=request.remote_addr)
        if result.user is not None:
            destination = _safe_next(request.args.get("next"))
            if two_factor_required(result.user):
                begin_second_step(result.user, destination)
                endpoint = "auth.enter_code" if result.user.totp_secret else "auth.set_up_authenticator"
                return redirect(url_for(endpoint))
            start_session(result.user)
            audit("sign_in", "user", result.user.id)
            return redirect(destination)
        form.email.errors.append(
            throttled_message(result.wait_minutes)
            if result.wait_minutes
            else "Enter a correct email address and password"
        )
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@signed_in
def sign_out() -> ResponseReturnValue:
    end_session()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.post("/account/sign-out-everywhere")
@signed_in
def sign_out_everywhere() -> ResponseReturnValue:
    user = signed_in_user()
    end_every_session(user)
    audit("sign_out_everywhere", "user", user.id)
    end_session()
    flash("You have signed out on every device", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm(user=current_user)
    if form.validate_on_submit():
        user = signed_in_user()
        user.set_password(form.new_password.data)
        user.end_all_sessions()  # every other browser signed in as this user is signed out
        start_session(user)
        audit("change_password", "user", user.id)
        flash("Your password is changed. You are signed out everywhere else.", "success")
        return redirect(url_for("main.profile"))
    return render_template("auth/change_password.html", form=form)


def _pending_or_restart() -> User:
    """The user half-way through signing in; while their address is being slowed down it takes no codes, even from
    a cookie saved before (the throttle covers both steps)."""
    user = pending_user()
    if user is None:
        flash("Sign in again: the sign-in took too long", "info")
        abort(redirect(url_for("auth.sign_in")))
    wait = throttle.wait_minutes(user.email, request.remote_addr)
    if wait:
        _restart_throttled(user, wait)
    return user


def _restart_throttled(user: User, wait: int):
    session.clear()
    audit("sign_in_throttled", "user", user.id, detail=f"second factor, wait {wait} minutes")
    db.session.commit()
    flash(throttled_message(wait), "info")
    abort(redirect(url_for("auth.sign_in")))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def enter_code() -> ResponseReturnValue:
    user = _pending_or_restart()
    if not user.totp_secret:
        return redirect(url_for("auth.set_up_authenticator"))
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data
        used = (
            "authenticator"
            if two_factor.verify_code(user, code)
            else ("recovery code" if two_factor.use_recovery_code(user, code) else None)
        )
        if used:
            destination = session.get("pending_next") or url_for("main.dashboard")
            start_session(user)
            audit("sign_in", "user", user.id, detail=f"second factor: {used}")
            if used == "recovery code":
                left = two_factor.remaining_recovery_codes(user)
                flash(f"You used a recovery code. You have {left} left: make new ones from your profile.", "info")
            return redirect(_safe_next(destination))
        wait = record_failed_code(user)
        audit("sign_in_failed", "user", user.id, detail="wrong or reused code")
        if wait:
            _restart_throttled(user, wait)
        form.code.errors.append("Enter a correct code. A code can only be used once: wait for the next one")
    return render_template("auth/code.html", form=form)


@bp.route("/sign-in/set-up-authenticator", methods=["GET", "POST"])
@public
def set_up_authenticator() -> ResponseReturnValue:
    user = _pending_or_restart()
    if user.totp_secret:
        return redirect(url_for("auth.enter_code"))
    secret = session.get("enrol_secret") or two_factor.new_secret()
    session["enrol_secret"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if two_factor.confirm_enrolment(user, secret, form.code.data):
            codes = two_factor.new_recovery_codes(user)
            destination = session.get("pending_next") or url_for("main.dashboard")
            start_session(user)
            audit("enrol_totp", "user", user.id)
            return render_template("auth/recovery_codes.html", codes=codes, destination=_safe_next(destination))
        form.code.errors.append("Enter the 6-digit code your authenticator app shows now")
    uri = two_factor.provisioning_uri(user, secret)
    return render_template("auth/set_up_authenticator.html", form=form, qr=two_factor.qr_svg(uri), secret=secret)


@bp.post("/account/recovery-codes")
@signed_in
def new_recovery_codes() -> ResponseReturnValue:
    user = signed_in_user()
    codes = two_factor.new_recovery_codes(user)
    audit("new_recovery_codes", "user", user.id)
    return render_template("auth/recovery_codes.html", codes=codes, destination=url_for("main.profile"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(form.email.data)
        audit("password_reset_requested", "user", detail="request received")
        send_now_if_configured(current_app.config)
        return render_template("auth/reset_sent.html")
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> ResponseReturnValue:
    user = reset.user_for_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm(user=user)
    if form.validate_on_submit():
        user.set_password(form.new_password.data)
        user.end_all_sessions()
        throttle.clear(user.email, request.remote_addr)  # the mailbox is theirs: their address is not slowed down
        audit("password_reset", "user", user.id)
        flash("Your password is changed. Sign in with it now.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)
