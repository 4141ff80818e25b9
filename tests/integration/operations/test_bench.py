"""The benchmark's own machinery, at a tiny scale: its seed is sound, every page it measures answers, its work is
counted, and the SQL statements per page do not grow with the data (the N+1 guard; the timings are bench/'s
business)."""

import gc
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from bench.run import BARE, PAGES, prepare_pages, seed_database, time_pages
from bench.seed import TABLES, planned


class _Logged:
    """A test client that notes what it was asked for."""

    def __init__(self, client, log: list, what: tuple):
        self.client, self.log, self.what = client, log, what

    def get(self, path: str):
        self.log.append(self.what)
        return self.client.get(path)


@pytest.fixture
def two_databases(database_backend, request, tmp_path):
    request.addfinalizer(gc.unfreeze)  # the bench's app freezes what is alive, as a server does: not the suite's
    if database_backend == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        return [cluster.create_database(f"lehc_bench_test_{n}") for n in (1, 2)]
    return [f"sqlite:///{tmp_path / f'bench-{n}.db'}" for n in (1, 2)]


def test_the_seed_stores_every_row_it_planned_and_the_defaults_of_what_a_row_leaves_out(db):
    """On PostgreSQL the rows go in by COPY, on SQLite by INSERT: either way the database holds exactly the rows
    planned, read back through the models' types, and a column a row leaves out holds its Python-side default,
    as an INSERT through SQLAlchemy would have given it."""
    seeder = planned(0.02, date.today())
    seeder.write()
    defaulted = 0
    for name, table in TABLES.items():
        rows = seeder.rows[name]
        keys = list(rows[0])
        stored = Counter(tuple(row) for row in db.session.execute(select(*(table.c[key] for key in keys))))
        assert stored == Counter(tuple(row[key] for key in keys) for row in rows), name
        for column in table.columns:
            if column.name not in keys and column.default is not None:
                defaulted += 1
                empty = select(func.count()).select_from(table).where(column.is_(None))
                assert db.session.scalar(empty) == 0, (name, column.name)
    assert defaulted > 5  # the check above ran: e.g. the discussions' mapping fields and version


def test_pages_answer_and_statements_stay_the_same_as_the_data_grows(two_databases):
    small, larger = (seed_database(url, scale) for url, scale in zip(two_databases, (0.02, 0.06), strict=True))
    assert larger.counts["discussions"] > 2 * small.counts["discussions"]
    assert larger.counts["actions"] > 2 * small.counts["actions"]
    databases = [prepare_pages(url, seeded) for url, seeded in zip(two_databases, (small, larger), strict=True)]
    requested = []  # (database, page) in the order time_pages asks for them
    for number, database in enumerate(databases):
        database.pages = [
            (name, path, _Logged(client, requested, (number, name)), forget)
            for name, path, client, forget in database.pages
        ]
    time_pages(databases, 2)  # two rounds
    measured = [database.results for database in databases]
    # each page of both databases in turn, not one database's pages after the other's; the second round starts
    # with the other database
    names = [name for name, *_ in PAGES] + [BARE]
    assert requested == [(number, name) for name in names for number in (0, 1)] + [
        (number, name) for name in names for number in (1, 0)
    ]
    for name, *_ in PAGES:
        first, second = measured[0][name], measured[1][name]
        assert (name, first["status"], second["status"]) == (name, 200, 200)
        assert first["bytes"] > 200, name
        assert (name, first["statements"]) == (name, second["statements"])
        assert first["python_calls"] > 1000, name  # cProfile counted the request's work
    for database in databases:
        assert {name: len(timings) for name, timings in database.timings.items()} == {
            **{name: 2 for name, *_ in PAGES},
            BARE: 2,
        }
        assert all(0 < page["p50_ms"] <= page["p95_ms"] for page in database.results.values())
    # the first view is measured with the page cache emptied before each request; the repeat view comes from it
    agenda = measured[1]
    assert (
        agenda["Meeting agenda (12 items), again"]["statements"]
        < agenda["Meeting agenda (12 items), first view"]["statements"]
    )
