from flask import render_template
from flask_login import current_user

from lehc.main import bp
from lehc.main.services import dashboard_for
from lehc.policy import public, signed_in


@bp.get("/")
@signed_in
def dashboard():
    return render_template("main/dashboard.html", dashboard=dashboard_for(current_user))


@bp.get("/healthz")
@public
def health_check():
    return {"status": "ok"}
