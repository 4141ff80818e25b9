"""The collector on a server (lehc.collector, set up by wsgi.py): no collection in the middle of a request, the
request's garbage collected once it has ended, and what is alive when the app starts, and again once its first
requests have compiled their templates and statements, kept out of the collector's full collections."""

import gc
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from lehc import collector
from lehc.policy import public


def _tracked() -> int:
    """Objects a full collection would walk (the frozen ones are not among them)."""
    return len(gc.get_objects())


@contextmanager
def _collections() -> Iterator[list[int]]:
    """The generation of each collection that starts meanwhile, whoever starts it."""
    generations: list[int] = []

    def record(phase: str, info: dict) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(record)
    try:
        yield generations
    finally:
        gc.callbacks.remove(record)


class _Node:
    """A reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collected(app):
    """The app set up as wsgi.py sets it up, with a page that makes garbage only the collector frees and records
    whether the collector was on and how many collections ran while the page was being made."""
    seen: dict = {}

    @public
    def cycles():
        runs_before = sum(generation["collections"] for generation in gc.get_stats())
        nodes = [_Node() for _ in range(20 * gc.get_threshold()[0])]  # ample to set off a young collection
        seen["enabled"] = gc.isenabled()
        seen["runs"] = sum(generation["collections"] for generation in gc.get_stats()) - runs_before
        seen["node"] = weakref.ref(nodes[-1])
        del nodes
        return "made"

    @public
    def nothing():
        return "nothing"

    @public
    def fails():
        seen["enabled"] = gc.isenabled()
        raise RuntimeError("a fault in a view")

    app.add_url_rule("/test/cycles", "test_cycles", cycles)
    app.add_url_rule("/test/fails", "test_fails", fails)
    app.add_url_rule("/test/nothing", "test_nothing", nothing)
    gc.unfreeze()
    collector.init_app(app)
    yield app, seen
    gc.unfreeze()  # the rest of the suite's apps come and go: their objects stay collectable
    gc.enable()


def test_no_collection_runs_in_a_request_and_its_garbage_is_collected_once_it_ends(collected):
    app, seen = collected
    client = app.test_client()
    client.get("/sign-in")  # a process's first request ends with a full collection (and a freeze): not this one
    with _collections() as generations:
        response = client.get("/test/cycles")
    assert response.status_code == 200
    assert seen["enabled"] is False and seen["runs"] == 0  # thousands of new objects, and no collection yet
    assert gc.isenabled() and seen["node"]() is None
    # Collected on purpose as the request ended, the older generation too: not left to whichever allocation comes
    # next, which would collect only the youngest one.
    assert generations and max(generations) >= 1


@pytest.mark.parametrize(("path", "status"), [("/sign-in", 200), ("/no-such-page", 404), ("/meetings/1", 302)])
def test_the_collector_is_back_on_after_every_kind_of_response(collected, path, status):
    app, _seen = collected
    assert app.test_client().get(path).status_code == status
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_fault_in_a_view(collected):
    app, seen = collected
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert app.test_client().get("/test/fails").status_code == 500
    assert seen["enabled"] is False and gc.isenabled()

    app.config["PROPAGATE_EXCEPTIONS"] = True  # the fault leaves the app itself, as a server would see it
    with pytest.raises(RuntimeError):
        app.test_client().get("/test/fails")
    assert gc.isenabled()


def test_with_threads_the_collector_stays_off_until_the_last_request_ends(collected):
    app, _seen = collected
    inside, release = threading.Event(), threading.Event()

    @public
    def slow():
        inside.set()
        release.wait(10)
        return "slow"

    app.add_url_rule("/test/slow", "test_slow", slow)
    client = app.test_client()
    first = threading.Thread(target=lambda: client.get("/test/slow"))
    first.start()
    try:
        assert inside.wait(10)
        other = app.test_client()
        assert other.get("/sign-in").status_code == 200  # a second request starts and ends meanwhile
        assert not gc.isenabled()  # the first is still running
        with _collections() as generations:
            for _ in range(collector.PUT_OFF_AT_MOST):  # a server never idle: a collection all the same
                other.get("/sign-in")
        assert generations == [1] and not gc.isenabled()
    finally:
        release.set()
        first.join(10)
    assert gc.isenabled()


def test_set_up_twice_the_app_is_wrapped_once(collected):
    app, _seen = collected
    wrapped = app.wsgi_app
    collector.collect_between_requests(app)
    assert app.wsgi_app is wrapped


def test_a_full_collection_only_after_the_requests_that_freeze_and_once_in_a_thousand(collected):
    app, _seen = collected
    client = app.test_client()
    full = set()  # the requests (their numbers in the process) after which a full collection ran
    for number in range(1, 2 * collector.FULL_EVERY + 1):
        with _collections() as generations:
            client.get("/test/nothing")
        if 2 in generations:
            full.add(number)
    # After the 1st, 10th, 100th and 1,000th (frozen too) and the 2,000th; not every 10 requests, which would walk
    # all of a big process's long-lived objects each time. (Python's own rules may add one between requests.)
    assert {1, 10, 100, 1_000, 2_000} <= full and len(full) <= 10


def test_what_the_first_requests_made_is_set_aside_after_the_first_and_the_tenth(collected):
    app, _seen = collected
    client = app.test_client()
    at_start = gc.get_freeze_count()
    # the app, its models and libraries: what stays in sight is the test's own handful (90-110 objects)
    assert at_start > 10_000 and _tracked() < 1_000

    client.get("/sign-in").get_data()  # the first request: its templates compiled, its statements too
    after_first, in_sight = gc.get_freeze_count(), _tracked()
    assert after_first > at_start and in_sight < 100

    for _ in range(8):
        client.get("/sign-in").get_data()
    after_ninth = gc.get_freeze_count()
    assert after_ninth <= after_first  # not after every request (frozen objects may still be freed)
    # what these requests left alive is in sight until the tenth (their garbage is collected as each ends)
    assert _tracked() > in_sight

    client.get("/sign-in").get_data()  # the tenth
    assert gc.get_freeze_count() > after_ninth and _tracked() < 100
