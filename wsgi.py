"""WSGI entry point: `gunicorn -w 4 wsgi:app`."""

from lehc import collector, create_app
from lehc.demo import refuse_demo_accounts_in_production

app = create_app()
refuse_demo_accounts_in_production(app)  # their password is published: not on a live database
# No collector pauses in the middle of a request: the app's long-lived objects (models, templates, compiled
# statements, libraries) kept out of its sight, and each request's garbage collected once the request has ended.
collector.init_app(app)
