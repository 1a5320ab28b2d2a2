"""Secrets kept in the database encrypted with AES-256-GCM under the keys of the settings
(`ENCRYPTION_KEYS`): the first key encrypts, every key decrypts, so keys can be rotated.

A stored value reads `gcm1.<key id>.<base64 of nonce, ciphertext and tag>`; the key id (the
start of the key's SHA-256) picks the key without trying each. The keys are installed once
per process by whatever opens the database (the server, the worker, the command line), from
its settings; a process that reads a secret without keys fails loudly rather than guess."""

import base64
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

if TYPE_CHECKING:
    from .settings import Settings

PREFIX = "gcm1"
NONCE_BYTES = 12
DEVELOPMENT_KEY_PURPOSE = b"issuetracker encryption key, derived for development\x00"


class UndecryptableSecret(Exception):
    """A stored value no installed key opens (a key removed too early, or a damaged value)."""


@dataclass(frozen=True, slots=True)
class Keyring:
    keys: tuple[bytes, ...]
    ciphers: dict[str, AESGCM] = field(init=False, repr=False, compare=False)
    """Each key's cipher by its id, made once (making one costs more than using it)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ciphers", {_key_id(key): AESGCM(key) for key in self.keys})

    @classmethod
    def of(cls, encoded_keys: Sequence[str], secret_key: str) -> "Keyring":
        """The settings' keys; none: one derived from SECRET_KEY (development and tests)."""
        if not encoded_keys:
            derived = hashlib.sha256(DEVELOPMENT_KEY_PURPOSE + secret_key.encode()).digest()
            return cls((derived,))
        return cls(tuple(_decode_key(key) for key in encoded_keys))

    def encrypt(self, plain: str, purpose: str) -> str:
        """A fresh nonce each time; `purpose` (the table and column) is bound to the value,
        so a value copied into another column does not open."""
        key_id = _key_id(self.keys[0])
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.ciphers[key_id].encrypt(nonce, plain.encode(), purpose.encode())
        body = base64.b64encode(nonce + sealed).decode()
        return f"{PREFIX}.{key_id}.{body}"

    def decrypt(self, stored: str, purpose: str) -> str:
        prefix, key_id, body = _parts(stored)
        if prefix != PREFIX:
            raise UndecryptableSecret("The value is not encrypted.")
        cipher = self.ciphers.get(key_id)
        if cipher is None:
            raise UndecryptableSecret(f"No key {key_id} among ENCRYPTION_KEYS.")
        raw = base64.b64decode(body)
        try:
            plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
        except InvalidTag:
            raise UndecryptableSecret("The value does not open under its key.") from None
        return plain.decode()

    def is_current(self, stored: str) -> bool:
        """Encrypted under the first key, so rotation may leave it."""
        prefix, key_id, _ = _parts(stored)
        return prefix == PREFIX and key_id == _key_id(self.keys[0])


def is_encrypted(stored: str) -> bool:
    return _parts(stored)[0] == PREFIX


def _parts(stored: str) -> tuple[str, str, str]:
    prefix, _, rest = stored.partition(".")
    key_id, _, body = rest.partition(".")
    return prefix, key_id, body


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def _decode_key(encoded: str) -> bytes:
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


_installed: list[Keyring] = []


def install(keyring: Keyring) -> None:
    """The keys this process uses from now on."""
    _installed[:] = [keyring]


def install_for(settings: "Settings") -> None:
    install(Keyring.of(settings.encryption_keys, settings.secret_key))


def current() -> Keyring:
    if not _installed:
        raise RuntimeError("No encryption keys installed: call install_for(settings) first.")
    return _installed[0]


def encrypt(plain: str, purpose: str) -> str:
    return current().encrypt(plain, purpose)


def decrypt(stored: str, purpose: str) -> str:
    return current().decrypt(stored, purpose)
