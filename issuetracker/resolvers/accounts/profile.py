"""What users change about themselves: their profile and their password."""

import functools
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

from ...models import ApiToken, User
from ..core.actor import require_user
from ..core.errors import ErrorCode
from ..core.scope import Scope
from ..core.validation import Collector, column_limit
from . import account_emails
from .limits import login_limits
from .passwords import MAX_LENGTH, check_new_password, hash_password, verify_password
from .rails_zones import iana_zone
from .ratelimits import take
from .token_cache import forget_signed_in
from .users import NAME_LENGTH

PHONE_LENGTH = column_limit(User, "phone")
TITLE_LENGTH = column_limit(User, "title")
AVATAR_URL_LENGTH = column_limit(User, "avatar_url")
TIME_ZONE_LENGTH = column_limit(User, "time_zone")
PHONE_PATTERN = re.compile(r"^\+?[0-9(][0-9 ()./-]*[0-9](?: ?(?:x|ext\.?) ?[0-9]{1,6})?$")


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """None leaves a field as it is; an empty phone, title or avatar URL removes it."""

    name: str | None = None
    time_zone: str | None = None
    phone: str | None = None
    title: str | None = None
    avatar_url: str | None = None


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _canonical_zone(check: Collector, zone: str) -> str | None:
    """The IANA zone kept for an IANA or a Rails name ("Central Time (US & Canada)" is
    America/Chicago)."""
    canonical = zone if zone in _time_zones() else iana_zone(zone)
    if canonical not in _time_zones():
        message = "The time zone must be an IANA zone such as Europe/Paris, or a Rails name."
        check.add("time_zone", message)
        return None
    return canonical


def _clean(changes: ProfileChanges) -> dict[str, Any]:
    check = Collector()
    values: dict[str, Any] = {}
    if changes.name is not None:
        values["name"] = check.text("name", changes.name, max_length=NAME_LENGTH)
    if changes.time_zone is not None:
        zone = check.text(
            "time_zone", changes.time_zone, max_length=TIME_ZONE_LENGTH, required=False
        )
        values["time_zone"] = None if zone is None else _canonical_zone(check, zone)
    if changes.phone is not None:
        phone = check.text("phone", changes.phone, max_length=PHONE_LENGTH, required=False)
        if phone and not PHONE_PATTERN.match(phone):
            check.add("phone", "The phone must be a phone number, such as +1 555 0100.")
        values["phone"] = phone or None
    if changes.title is not None:
        title = check.text("title", changes.title, max_length=TITLE_LENGTH, required=False)
        values["title"] = title or None
    if changes.avatar_url is not None:
        url = check.text(
            "avatar_url", changes.avatar_url, max_length=AVATAR_URL_LENGTH, required=False
        )
        if url and not _is_web_url(url):
            check.add(
                "avatar_url", "The avatar url must be an http or https URL.", ErrorCode.INVALID_URL
            )
        values["avatar_url"] = url or None
    check.raise_if_any()
    return values


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # an IPv6 address without its closing bracket
        return False
    return parts.scheme in ("http", "https") and bool(host) and " " not in url


async def update_profile(scope: Scope, changes: ProfileChanges) -> User:
    user = require_user(scope.actor)
    values = _clean(changes)
    if values:
        await user.update_from_dict(values).save()
        forget_signed_in()
    return user


async def change_password(scope: Scope, current: str, new: str) -> User:
    """Needs the current password (a wrong one counts as a failed sign-in); ends every other
    sign-in of the user."""
    user = require_user(scope.actor)
    check = Collector()
    check.secret("current_password", current, max_length=MAX_LENGTH, label="password")
    check.raise_if_any()
    taken = await take(login_limits(scope, user.email), scope.now)
    if await verify_password(scope.policy.password_hashing, user.password_hash, current):
        await taken.give_back()
    else:
        message = "The current password is incorrect."
        if not user.password_hash:
            message = "You have no password yet: choose one with requestPasswordReset."
        check.add("current_password", message, ErrorCode.INVALID_PASSWORD)
    check_new_password(check, "new_password", new, email=user.email, name=user.name)
    check.raise_if_any()
    user.password_hash = await hash_password(scope.policy.password_hashing, new)
    async with in_transaction():
        await user.save(update_fields=["password_hash", "updated_at"])
        others = ApiToken.filter(user_id=user.id, revoked_at__isnull=True)
        await others.exclude(id=scope.actor.token_id or 0).update(revoked_at=scope.now)
        await account_emails.password_changed(scope, user)
    forget_signed_in()
    return user
