"""Shared fixtures: an app per test on a real database, factories, and signed-in clients per role.

LEHC_TEST_DB=postgresql runs the same tests on a PostgreSQL cluster that the harness starts itself;
otherwise each test gets a fresh SQLite file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from itertools import count

import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from lehc import create_app
from lehc.extensions import db as _db
from lehc.models import (
    Agency,
    AgendaItem,
    ConsentMethod,
    DiscussionType,
    Family,
    Locality,
    Meeting,
    MemberKind,
    Membership,
    MembershipKind,
    Outcome,
    Role,
    Seat,
    User,
)
from lehc.models.people import password_hasher
from lehc.reference_data import seed_reference_data
from tests.support import imap, postgres
from tests.support.external import require
from tests.support.smtp import SMTPServer

TEST_PASSWORD = "correct horse battery staple"


@functools.cache
def password_hash_of(password: str) -> str:
    """The product's own Argon2 hash of a test password, worked out once per run.

    Hashing takes a quarter of a second on this machine by design; the factories make hundreds of users, so they
    share one hash per password (a salt shared between test accounts costs nothing here). Signing in through the
    form still verifies it with the product's hasher and parameters.
    """
    return password_hasher.hash(password)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[postgres.Cluster]:
    require(postgres.find_bindir() is not None, "PostgreSQL server (Debian package postgresql)")
    cluster = postgres.start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def database_backend() -> str:
    backend = os.environ.get("LEHC_TEST_DB", "sqlite")
    assert backend in {"sqlite", "postgresql"}, f"LEHC_TEST_DB must be sqlite or postgresql, not {backend}"
    return backend


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    """A real SMTP server (aiosmtpd) on a loopback port, keeping what it receives."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def imap_server_session() -> Iterator[imap.IMAPServer]:
    require(imap.find_dovecot() is not None, "Dovecot IMAP server (Debian package dovecot-imapd)")
    server = imap.start_server()
    yield server
    server.stop()


@pytest.fixture
def imap_server(imap_server_session) -> imap.IMAPServer:
    """A real IMAP server (Dovecot) on a loopback port, its folders emptied for each test."""
    imap_server_session.empty()
    return imap_server_session


@pytest.fixture
def database_url(request, database_backend, tmp_path) -> str:
    if database_backend == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        return cluster.create_database("lehc_test")
    return f"sqlite:///{tmp_path / 'lehc.db'}"


def make_test_app(database_url: str, **overrides) -> Flask:
    return create_app(
        {
            "LEHC_ENV": "test",
            "SECRET_KEY": "test-secret-key-at-least-32-bytes-long",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "TOTP_REQUIRED": False,  # the second factor has its own tests (test_two_factor) and the journeys use it
            **overrides,
        }
    )


@pytest.fixture
def app(database_url) -> Iterator[Flask]:
    """The app under test, on a fresh database with the reference data.

    The test's own code (factories, assertions on the database) runs in the app context of a twin app on the
    same database. Requests to ``app`` therefore get their own app context, session and ``g``, as in
    production, instead of sharing the test's (which would leak the signed-in user between requests).
    """
    app = make_test_app(database_url)
    with app.app_context():
        _db.create_all()
        seed_reference_data(_db.session)
        _db.session.commit()
        _db.session.remove()
    twin = make_test_app(database_url)
    with twin.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


class Factories:
    """Small builders for test data; each returns a committed object."""

    def __init__(self, session):
        self.session = session
        self._sequence = count(1)

    def locality(self, code: str = "DUR") -> Locality:
        return self.session.scalar(select(Locality).where(Locality.code == code))

    def seat(self, name: str) -> Seat:
        return self.session.scalar(select(Seat).where(Seat.name == name))

    def agency(self, name: str = "CAMHS") -> Agency:
        return self.session.scalar(select(Agency).where(Agency.name == name))

    def user(
        self,
        role: Role = Role.MEMBER,
        *,
        locality: str | None = "DUR",
        kind: MembershipKind = MembershipKind.CORE,
        seat: str | None = None,
        active: bool = True,
        email: str | None = None,
        password: str = TEST_PASSWORD,
        name: str | None = None,
    ) -> User:
        number = next(self._sequence)
        user = User(
            name=name or f"Test Person {number}",
            email=email or f"person{number}@example.org",
            role=role,
            active=active,
            agency=self.agency(),
            job_title="Practitioner",
        )
        user.password_hash = password_hash_of(password)
        self.session.add(user)
        if locality:
            self.session.add(
                Membership(
                    user=user, locality=self.locality(locality), kind=kind, seat=self.seat(seat) if seat else None
                )
            )
        self.session.commit()
        return user

    def meeting(
        self,
        locality: str = "DUR",
        *,
        day: date | None = None,
        start: time = time(9, 30),
        minutes: int = 120,
        organiser: User | None = None,
        venue: str = "Durham Family Hub, Room 2",
        online_link: str = "https://teams.example/meet/123",
        kind: str | None = None,  # a MeetingKind's code: the LEHC unless given
        area: str | None = None,  # an area's name: an area's meeting (the forum), hosted by the locality
    ) -> Meeting:
        from lehc.meetings.services import meeting_kind, new_meeting
        from lehc.models import Area

        meeting = new_meeting(
            self.locality(locality),
            day or date.today() + timedelta(days=14),
            start,
            minutes,
            venue=venue,
            online_link=online_link,
            organiser=organiser or self.user(Role.COORDINATOR, locality=locality),
            kind=meeting_kind(kind) if kind else None,
            area=self.session.scalar(select(Area).where(Area.name == area)) if area else None,
        )
        self.session.commit()
        return meeting

    def family(
        self,
        locality: str = "DUR",
        *,
        reference: str | None = None,
        presenter: User | None = None,
        consent: bool = True,
        children: list[tuple[str, date]] | None = None,
        summary: str = "School is worried about attendance and a young carer at home.",
    ) -> Family:
        from lehc.families import services

        presenter = presenter or self.user(Role.MEMBER, locality=None)
        family = services.create_family(
            locality=self.locality(locality),
            presenter=presenter,
            requested_on=date.today() - timedelta(days=7),
            summary=summary,
            outcomes=[Outcome.EDUCATION],
        )
        if reference:
            family.reference = reference
        for name, born in children if children is not None else [("Kayden Smith", date(2018, 5, 4))]:
            services.add_member(
                family,
                kind=MemberKind.CHILD,
                name=name,
                date_of_birth=born,
                school_or_setting="Durham Primary",
                send=False,
                relationship_to_child="",
            )
        if consent:
            services.record_consent(
                family,
                given_by_name="Jo Smith",
                given_by_relationship="Mother",
                given_on=date.today() - timedelta(days=30),
                method=ConsentMethod.WRITTEN,
                covers_discussion=True,
                covers_sharing=True,
                expires_on=date.today() + timedelta(days=335),
                recorded_by=presenter,
            )
        self.session.commit()
        return family

    def item(
        self,
        meeting: Meeting,
        *,
        reference: str | None = "DUR-2026-0001",
        title: str = "Worries about attendance",
        call_on: list[User] | None = None,
        minutes: int = 20,
        presenter: User | None = None,
        family: Family | None = None,
        discussion_type: DiscussionType = DiscussionType.NEW,
    ) -> AgendaItem:
        from lehc.meetings.services import add_item

        family = family or self.family(meeting.locality.code, reference=reference)
        item = add_item(
            meeting,
            title=title,
            family=family,
            discussion_type=discussion_type,
            presenter=presenter,
            duration_minutes=minutes,
            call_on=call_on or [],
            by=meeting.organiser,
        )
        self.session.commit()
        return item


@pytest.fixture
def factories(db) -> Factories:
    return Factories(db.session)


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def sign_in_as(client: FlaskClient, user: User) -> FlaskClient:
    """Sign a test client in without the form (the form itself is tested in test_auth)."""
    from lehc.auth.sessions import SESSION_KEY, open_server_session
    from lehc.models.people import utcnow

    key = open_server_session(user)
    _db.session.commit()
    now = utcnow().timestamp()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["signed_in_at"] = session["last_seen_at"] = now
        session[SESSION_KEY] = key
    return client


class ClientRequest:
    """A client for one user (or nobody) whose requests name an endpoint, say what status they expect and hand
    back the parsed page (the pattern of GOV.UK Notify's tests):

        page = client_request(police).get("meetings.meeting_pack", meeting_id=meeting.id)
        client_request(outsider).get("families.view_family", family_id=family.id, _expected_status=404)
    """

    def __init__(self, app: Flask, user: User | None) -> None:
        self.app, self.client = app, app.test_client()
        if user is not None:
            sign_in_as(self.client, user)

    def url(self, endpoint: str, **values) -> str:
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def get(self, endpoint: str, *, _expected_status: int = 200, **values) -> BeautifulSoup:
        response = self.client.get(self.url(endpoint, **values))
        assert response.status_code == _expected_status, (endpoint, values, response.status_code)
        return parse(response)

    def post(
        self,
        endpoint: str,
        *,
        _data: dict | None = None,
        _expected_status: int = 302,
        _expected_redirect: str | None = None,
        **values,
    ) -> BeautifulSoup:
        response = self.client.post(self.url(endpoint, **values), data=_data or {})
        assert response.status_code == _expected_status, (endpoint, values, response.status_code)
        if _expected_redirect is not None:
            assert response.headers["Location"] == _expected_redirect
        return parse(response)


@pytest.fixture
def client_request(app) -> Callable[[User | None], ClientRequest]:
    """client_request(user) gives a ClientRequest signed in as that user; client_request(None) a stranger's."""
    return lambda user=None: ClientRequest(app, user)


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def client_as(app, factories):
    """client_as(Role.ADMIN) gives a new client signed in as a new user with that role."""

    def make(role: Role, **user_kwargs) -> FlaskClient:
        return sign_in_as(app.test_client(), factories.user(role, **user_kwargs))

    return make
