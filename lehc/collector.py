"""Python's garbage collector on a server: no collections in the middle of a request, one young collection after it,
and the app's long-lived objects kept out of its full collections."""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import Callable, Iterable

from flask import Flask

# A process's requests after which what is alive is frozen again: the Jinja templates and the SQL statements
# compiled on first use live as long as the process, so each time most of them have been made, they are set aside.
FREEZE_AFTER = frozenset({1, 10, 100, 1_000, 10_000})
# Between those, a full collection once in this many requests, for what outlived its request and then became garbage
# in a cycle. Not whenever the oldest generation's count passes its threshold (every 10 requests here): that rule is
# Python's own only together with another (a quarter more long-lived objects than at the last full collection), which
# it does not expose, and without it a process holding many long-lived objects walks them all every 10 requests.
# (Python's own collections, with both rules, may still run between requests, when the collector is on.)
FULL_EVERY = 1_000
# A threaded server that is never idle never ends a request with none running: once this many have ended without a
# collection, one runs anyway (walking the running requests' objects too), so a busy process is not left without one.
PUT_OFF_AT_MOST = 10


def init_app(app: Flask) -> None:
    """What wsgi.py (and the bench, as production does) sets up: freeze_long_lived, then collect_between_requests."""
    freeze_long_lived()
    collect_between_requests(app)


def freeze_long_lived() -> None:
    """Move what is alive now (the app, its models and libraries) out of the collector's sight with gc.freeze(). A
    full collection walks every object the collector tracks: left in its sight, the app and the caches filled by the
    first requests paused one request in about 40 for 45-50 ms on the bench (SQLite, scale 0.1, 1 December); frozen,
    for 5-10 ms. collect_between_requests freezes again once a process's 1st, 10th, 100th... request has ended."""
    gc.collect()  # what importing and building the app left as garbage is not kept for good
    gc.freeze()


class _Requests:
    """The app's requests in progress. The collector is one per process, and so is the app wsgi.py serves: with a
    threaded server it is held off while any request runs, and collects when the last one ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._ended = itertools.count(1)
        self._freeze_due = self._full_due = False
        self._put_off = 0  # requests ended since the last collection

    def start(self) -> None:
        with self._lock:
            self._running += 1
            gc.disable()

    def end(self) -> None:
        with self._lock:
            self._running -= 1
            ended = next(self._ended)
            self._freeze_due |= ended in FREEZE_AFTER
            self._full_due |= ended % FULL_EVERY == 0
            self._put_off += 1
            if self._running:
                if self._put_off >= PUT_OFF_AT_MOST:
                    gc.collect(1)  # walks the running requests' objects too, as a collection in a request would
                    self._put_off = 0
                return
            gc.enable()
            if self._freeze_due:
                gc.collect()
                gc.freeze()
            elif self._full_due:
                gc.collect()
            else:
                gc.collect(1)  # the young generations: survivors move on to the oldest, the rest is freed
            self._freeze_due = self._full_due = False
            self._put_off = 0


def collect_between_requests(app: Flask) -> None:
    """Hold automatic collection off while the app handles a request, and collect the young generations once it has.

    A young collection walks the containers made since the last one: in the middle of a request those are the
    request's own ORM objects, still alive, walked again by each of the one or two 20-25 ms collections in the slowest
    tenth of the dashboard's, the agenda's and the feed's requests (SQLite, scale 0.1, 1 December). Once Flask has
    popped the request's context, Flask-SQLAlchemy's session is removed and those objects are garbage: one young
    collection then frees them at a walk. It runs before the response's body is handed to the server, so the
    request's own time counts it, and on every path (an error included) the collector is switched back on. What runs
    outside the app (the server reading the request, a streamed body) does so with the collector on, and Python's
    own collections may still run there. Once per app: set up again, it changes nothing."""
    if app.extensions.get("lehc.collector"):
        return
    app.extensions["lehc.collector"] = requests = _Requests()
    inner: Callable[..., Iterable[bytes]] = app.wsgi_app

    def wsgi_app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        requests.start()
        try:
            return inner(environ, start_response)  # Flask's own context (and its session) is gone when it returns
        finally:
            requests.end()

    app.wsgi_app = wsgi_app  # type: ignore[method-assign]
