"""Signed links: HMAC-SHA256 over the path and an expiry, compared in constant time."""

import hashlib
import hmac
from datetime import datetime, timedelta
from enum import Enum
from urllib.parse import urlencode

LINK_LIFETIME = timedelta(days=2)


class LinkState(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


def _signature(secret_key: str, path: str, expires: int) -> str:
    message = f"{path}?expires={expires}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def signed_url(
    public_url: str, secret_key: str, path: str, now: datetime, lifetime: timedelta = LINK_LIFETIME
) -> str:
    expires = int((now + lifetime).timestamp())
    query = urlencode({"expires": expires, "signature": _signature(secret_key, path, expires)})
    return f"{public_url.rstrip('/')}{path}?{query}"


def check_link(
    secret_key: str, path: str, expires: str | None, signature: str | None, now: datetime
) -> LinkState:
    if not expires or not signature or not (expires.isascii() and expires.isdigit()):
        return LinkState.INVALID
    expected = _signature(secret_key, path, int(expires))
    if not hmac.compare_digest(expected, signature):
        return LinkState.INVALID
    if int(expires) <= now.timestamp():
        return LinkState.EXPIRED
    return LinkState.VALID


def sign_token(
    secret_key: str, purpose: str, subject: str, now: datetime, lifetime: timedelta
) -> str:
    """`subject.expires.signature`: the signature covers the purpose too, so a token made for
    one purpose is refused for another. (Link paths start with "/", so no token's signed text
    can be a link's.)"""
    expires = int((now + lifetime).timestamp())
    return f"{subject}.{expires}.{_signature(secret_key, f'{purpose}:{subject}', expires)}"


def check_token(
    secret_key: str, purpose: str, token: str | None, now: datetime
) -> tuple[LinkState, str]:
    """The token's state and its subject (trust the subject only when VALID)."""
    subject, _, rest = (token or "").rpartition(".")
    subject, _, expires = subject.rpartition(".")
    if not subject:
        return LinkState.INVALID, ""
    return check_link(secret_key, f"{purpose}:{subject}", expires, rest, now), subject
