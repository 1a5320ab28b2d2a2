"""The keyring behind the secrets kept encrypted: the first key encrypts, every key decrypts,
and a value opens only for the column it was made for."""

import pytest

from issuetracker.encryption import Keyring, UndecryptableSecret

OLD, NEW = "A" * 43, "B" * 43
PURPOSE = "webhooks.secret"


def test_a_value_under_an_old_key_opens_while_that_key_is_listed() -> None:
    # given a value encrypted under the old key
    stored = Keyring.of([OLD], "").encrypt("whsec_x", PURPOSE)

    # when a new key goes first
    rotated = Keyring.of([NEW, OLD], "")

    # then it still opens, and is due for re-encryption; once moved, only the new key matters
    assert rotated.decrypt(stored, PURPOSE) == "whsec_x"
    assert not rotated.is_current(stored)
    moved = rotated.encrypt(rotated.decrypt(stored, PURPOSE), PURPOSE)
    assert rotated.is_current(moved)
    assert Keyring.of([NEW], "").decrypt(moved, PURPOSE) == "whsec_x"
    with pytest.raises(UndecryptableSecret):
        Keyring.of([NEW], "").decrypt(stored, PURPOSE)


def test_a_value_opens_only_for_its_own_column() -> None:
    keyring = Keyring.of([OLD], "")
    stored = keyring.encrypt("whsec_x", PURPOSE)

    with pytest.raises(UndecryptableSecret):
        keyring.decrypt(stored, "issues.webhook_secret")


def test_each_encryption_differs_and_shows_nothing_of_the_secret() -> None:
    keyring = Keyring.of([], "development secret")
    first, second = (keyring.encrypt("whsec_abcdef", PURPOSE) for _ in range(2))

    assert first != second
    assert "abcdef" not in first
    assert keyring.decrypt(first, PURPOSE) == keyring.decrypt(second, PURPOSE) == "whsec_abcdef"


def test_the_development_key_follows_the_secret_key() -> None:
    stored = Keyring.of([], "one secret key").encrypt("whsec_x", PURPOSE)

    with pytest.raises(UndecryptableSecret):
        Keyring.of([], "another secret key").decrypt(stored, PURPOSE)
