"""The home page (my meetings and my actions), the profile page and the static assets."""

from flask import Blueprint

bp = Blueprint("main", __name__)

# GOV.UK Frontend's CSS asks for /assets/fonts/... and /assets/images/...: serve the copied package there.
assets_bp = Blueprint("assets", __name__, static_folder="../static/govuk/assets", static_url_path="/assets")

from lehc.main import views  # noqa: E402,F401
