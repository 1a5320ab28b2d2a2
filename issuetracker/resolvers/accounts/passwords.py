"""Passwords: argon2id hashes (argon2-cffi's profile that PASSWORD_HASHING names, RFC 9106's
low-memory one by default), rehashed at sign-in when the parameters change, and a policy a new
password must meet.

Hashing takes tens of milliseconds on purpose; it runs in a thread (argon2 releases the GIL),
so the event loop keeps serving other requests meanwhile."""

import asyncio
import functools
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from ...setting_types import PasswordHashing
from ..core.errors import ErrorCode
from ..core.validation import Collector

MIN_LENGTH = 10
MAX_LENGTH = 256
"""Long passphrases are welcome; megabytes to hash are not."""
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

PROFILES = {
    PasswordHashing.RFC_9106_LOW_MEMORY: profiles.RFC_9106_LOW_MEMORY,
    PasswordHashing.RFC_9106_HIGH_MEMORY: profiles.RFC_9106_HIGH_MEMORY,
    PasswordHashing.CHEAPEST: profiles.CHEAPEST,
}


@functools.cache
def _hasher(hashing: PasswordHashing) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[hashing])


async def hash_password(hashing: PasswordHashing, password: str) -> str:
    return await asyncio.to_thread(_hasher(hashing).hash, password)


@functools.cache
def _stand_in_hash(hashing: PasswordHashing) -> str:
    """Checked against when there is no hash, so an unknown address costs as long as a known one."""
    return _hasher(hashing).hash("there is no account with this address")


async def verify_password(
    hashing: PasswordHashing, password_hash: str | None, password: str
) -> bool:
    """Whether `password` matches; an empty or missing hash (an invited user who never chose a
    password) matches nothing, after the same work."""
    return await asyncio.to_thread(_verify, hashing, password_hash, password)


def _verify(hashing: PasswordHashing, password_hash: str | None, password: str) -> bool:
    hasher = _hasher(hashing)
    try:
        return hasher.verify(password_hash or _stand_in_hash(hashing), password) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hashing: PasswordHashing, password_hash: str) -> bool:
    return _hasher(hashing).check_needs_rehash(password_hash)


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def check_new_password(
    check: Collector, field: str, password: str, *, email: str | None, name: str | None
) -> None:
    """The rules for a new password: text a hash can be made of, long enough, not too long,
    not common, not one's own address or name."""
    if check.secret(field, password, max_length=MAX_LENGTH, label="password") is None:
        return
    lowered = password.lower()
    if len(password) < MIN_LENGTH:
        check.add(
            field, f"The password must be at least {MIN_LENGTH} characters.", ErrorCode.TOO_SHORT
        )
    elif lowered in common_passwords() or len(set(lowered)) <= 2:
        check.add(field, "This password is too common; choose another.", ErrorCode.TOO_COMMON)
    elif _personal(lowered, email, name):
        check.add(
            field, "The password may not be your e-mail address or name.", ErrorCode.TOO_SIMILAR
        )


def _personal(lowered: str, email: str | None, name: str | None) -> bool:
    own = {email, (email or "").partition("@")[0], name, (name or "").replace(" ", "")}
    return lowered in {value.lower() for value in own if value}
