"""WSGI entry point: `gunicorn -w 4 wsgi:app`."""

from lehc import create_app
from lehc.collector import freeze_long_lived
from lehc.demo import refuse_demo_accounts_in_production

app = create_app()
refuse_demo_accounts_in_production(app)  # their password is published: not on a live database
# The app's long-lived objects (models, templates, compiled statements, libraries) never become garbage: kept out of
# the collector's sight, a full collection no longer pauses a request for tens of milliseconds.
freeze_long_lived(app)
