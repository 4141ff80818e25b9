"""WSGI entry point: `gunicorn -w 4 wsgi:app`."""

import gc

from lehc import create_app
from lehc.demo import refuse_demo_accounts_in_production

app = create_app()
refuse_demo_accounts_in_production(app)  # their password is published: not on a live database
# The app's long-lived objects (models, templates' machinery, libraries) never become garbage: move them out of
# the collector's sight, so a full collection no longer pauses a request for tens of milliseconds.
gc.freeze()
