"""The collector on a server (lehc.collector, called by wsgi.py): what is alive when the app starts, and again once
its first requests have compiled their templates and statements, is kept out of the collector's full collections."""

import gc

from lehc.collector import freeze_long_lived


def _tracked() -> int:
    """Objects a full collection would walk (the frozen ones are not among them)."""
    return len(gc.get_objects())


def test_what_the_first_requests_made_is_set_aside_after_the_first_and_the_tenth(app):
    client = app.test_client()
    gc.unfreeze()
    try:
        freeze_long_lived(app)
        at_start = gc.get_freeze_count()
        assert at_start > 10_000 and _tracked() < 100  # the app, its models and libraries

        client.get("/sign-in").get_data()  # the first request: its templates compiled, its statements too
        after_first = gc.get_freeze_count()
        assert after_first > at_start and _tracked() < 100

        for _ in range(8):
            client.get("/sign-in").get_data()
        after_ninth = gc.get_freeze_count()
        assert after_ninth <= after_first  # not after every request (frozen objects may still be freed)
        assert _tracked() > 100  # what these requests left behind is in sight until the tenth

        client.get("/sign-in").get_data()  # the tenth
        assert gc.get_freeze_count() > after_ninth and _tracked() < 100
    finally:
        gc.unfreeze()  # the rest of the suite's apps come and go: their objects stay collectable
