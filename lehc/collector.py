"""Python's garbage collector on a server: the app's long-lived objects kept out of its full collections."""

from __future__ import annotations

import gc
import itertools

from flask import Flask

# A process's requests after which what is alive is frozen again: the Jinja templates and the SQL statements
# compiled on first use live as long as the process, so each time most of them have been made, they are set aside.
FREEZE_AFTER = frozenset({1, 10, 100, 1_000, 10_000})


def freeze_long_lived(app: Flask) -> None:
    """Move what is alive now (the app, its models and libraries) out of the collector's sight with gc.freeze(), and
    again after a process's 1st, 10th, 100th... request, once garbage has been collected. A full collection walks
    every object the collector tracks: with the caches filled by the first requests left in its sight, it paused
    one request in about 40 for 45-50 ms on the bench (SQLite, scale 0.1, 1 December); frozen, for 5-10 ms. What the
    request then ending still holds is frozen with the rest: five requests' worth in a process's life."""
    gc.collect()  # what importing and building the app left as garbage is not kept for good
    gc.freeze()
    served = itertools.count(1)

    @app.teardown_request
    def _freeze_when_warm(_error: BaseException | None) -> None:
        if next(served) in FREEZE_AFTER:
            gc.collect()
            gc.freeze()
