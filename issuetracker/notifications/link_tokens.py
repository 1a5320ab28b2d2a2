"""The links of the account e-mails: an opaque token in the query of a page's URL, the same
token the GraphQL mutations (`verifyEmail`, `resetPassword`) accept.

A token names a user and a *stamp*, a fingerprint of what the link acts on: the address for a
verification link, the password hash for a set-password link. The link works while the stamp
matches, so a set-password link dies once a password is set: single use without a table. An
outbox message holds the stamp and the lifetime; the dispatcher signs the token when it sends,
so no usable link is ever stored."""

import hashlib
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from .page_paths import SET_PASSWORD_PAGE, VERIFY_EMAIL_PAGE
from .signing import LinkState, check_token, sign_token


class Purpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    SET_PASSWORD = "set_password"  # noqa: S105 (a purpose, not a secret)


PAGES = {
    Purpose.VERIFY_EMAIL: VERIFY_EMAIL_PAGE,
    Purpose.SET_PASSWORD: SET_PASSWORD_PAGE,
}


def fingerprint(value: str) -> str:
    return hashlib.sha256(f"stamp:{value}".encode()).hexdigest()[:16]


def link_data(purpose: Purpose, user_guid: str, stamp: str, lifetime: timedelta) -> dict[str, Any]:
    """What an outbox payload keeps of a link until it is signed and sent."""
    return {
        "purpose": purpose.value,
        "subject": f"{user_guid}.{stamp}",
        "minutes": int(lifetime.total_seconds() // 60),
    }


def account_url(public_url: str, secret_key: str, link: dict[str, Any], now: datetime) -> str:
    purpose = Purpose(link["purpose"])
    lifetime = timedelta(minutes=link["minutes"])
    token = sign_token(secret_key, purpose.value, link["subject"], now, lifetime)
    return f"{public_url.rstrip('/')}{PAGES[purpose]}?{urlencode({'token': token})}"


def read_token(
    secret_key: str, purpose: Purpose, token: str | None, now: datetime
) -> tuple[LinkState, str, str]:
    """The token's state, and the user guid and stamp it names (trust them only when VALID)."""
    state, subject = check_token(secret_key, purpose.value, token, now)
    user_guid, _, stamp = subject.partition(".")
    if state is LinkState.VALID and not (user_guid and stamp):
        return LinkState.INVALID, "", ""
    return state, user_guid, stamp
