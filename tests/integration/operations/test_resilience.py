"""bench/load.py's checks, briefly: real gunicorn workers, real concurrent clients, a real SIGKILL and a real
SMTP server. The full-length run is `make load`."""

import pytest

from bench.load import crash_test, load_test
from bench.run import seed_database


@pytest.fixture
def seeded_url(database_url):
    seed_database(database_url, 0.02)
    return database_url


def test_concurrent_users_get_every_request_answered_and_every_write_kept(seeded_url):
    result = load_test(seeded_url, users=8, seconds=3, rounds=3)  # rounds: a busy machine still gets 8 × 3
    assert result["requests"] >= 8 * 3
    assert result["failed"] == 0, result["failures"]
    assert result["writes_acknowledged"] > 0
    assert result["lost_writes"] == 0


def test_a_killed_server_loses_no_acknowledged_write_and_no_invite_goes_twice(seeded_url):
    result = crash_test(seeded_url, users=6, before_kill=2.0)
    assert result["writes_acknowledged"] > 0
    assert result["lost_writes"] == 0
    assert result["after_kill"]["integrity_check"].startswith("ok")
    assert result["after_kill"]["foreign_key_problems"] == 0
    assert result["after_kill"]["half_saved_meetings"] == 0
    assert result["invites_queued"] > 0
    assert result["invites_received_twice"] == 0
    assert result["invites_lost"] == 0
    assert result["after_sending"]["outbox_pending"] == 0


def test_a_killed_sender_sends_each_invite_at_least_once_and_repeats_at_most_the_one_in_flight(seeded_url):
    result = crash_test(seeded_url, users=6, before_kill=2.0, kill_sender=True)
    assert result["received_before_sender_killed"] > 0  # the kill landed part-way
    assert result["invites_lost"] == 0
    assert result["invites_received_twice"] <= 1
    assert result["after_sending"]["outbox_pending"] == 0
