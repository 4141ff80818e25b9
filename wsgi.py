"""WSGI entry point: `gunicorn -w 4 wsgi:app`."""

import gc

from lehc import create_app

app = create_app()
# The app's long-lived objects (models, templates' machinery, libraries) never become garbage: move them out of
# the collector's sight, so a full collection no longer pauses a request for tens of milliseconds.
gc.freeze()
