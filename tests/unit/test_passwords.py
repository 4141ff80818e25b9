from argon2 import PasswordHasher

from lehc.models import User


def test_passwords_are_hashed_with_argon2id_and_verified():
    user = User(name="A", email="a@example.org")
    user.set_password("a long enough password")
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in user.password_hash
    assert user.check_password("a long enough password")
    assert not user.check_password("a long enough passwore")


def test_a_hash_made_with_old_parameters_is_upgraded_at_the_next_successful_check():
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("a long enough password")
    user = User(name="A", email="a@example.org", password_hash=old)
    assert user.check_password("a long enough password")
    assert user.password_hash != old
    assert user.check_password("a long enough password")


def test_a_user_without_a_password_or_with_a_corrupt_hash_cannot_sign_in():
    assert not User(name="A", email="a@example.org").check_password("")
    assert not User(name="A", email="a@example.org", password_hash="garbage").check_password("garbage")


def test_email_addresses_are_stored_trimmed_and_lower_case():
    assert User(name="A", email="  Chair.Durham@Example.ORG ").email == "chair.durham@example.org"
