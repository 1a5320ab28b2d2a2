"""API tokens: the secret is shown once; only its SHA-256 is stored (it has 256 bits of entropy,
so a slow hash would add nothing but latency to every request)."""

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from ...models import ApiToken, AuditAction, User, UserStatus
from ..audit.record import changed, record
from ..core.actor import ANONYMOUS, Actor, require_user
from ..core.errors import ErrorCode, NotFound, Unauthenticated
from ..core.scope import Scope
from ..core.sql import table
from ..core.validation import Collector, column_limit
from .narrowing import UNRESTRICTED, Narrowing, actor_of, narrowing_changes, narrowing_of
from .token_cache import TokenCache, forget_signed_in
from .token_order import TokenOrder, token_order_sql

TOKEN_PREFIX = "itk_"  # noqa: S105 (a label, not a secret)
VISIBLE_PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
LAST_USED_RESOLUTION = timedelta(minutes=1)
NAME_LENGTH = column_limit(ApiToken, "name")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def issue_token(
    scope: Scope,
    user: User,
    name: str,
    lifetime: timedelta | None,
    narrowing: Narrowing = UNRESTRICTED,
) -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken.create(
        user=user,
        name=name,
        prefix=secret[:VISIBLE_PREFIX_LENGTH],
        secret_hash=_digest(secret),
        expires_at=scope.now + lifetime if lifetime else None,
        read_only=narrowing.read_only,
        company_ids=narrowing.company_ids,
    )
    return IssuedToken(token, secret)


async def create_api_token(
    scope: Scope,
    name: str,
    expires_in_days: int | None,
    read_only: bool = False,
    company_ids: list[int] | None = None,
) -> IssuedToken:
    user = require_user(scope.actor)
    check = Collector()
    cleaned_name = check.text("name", name, max_length=NAME_LENGTH)
    days = scope.policy.token_lifetime.days if expires_in_days is None else expires_in_days
    if not 1 <= days <= 3650:
        message = "The token must expire within 1 to 3650 days."
        check.add("expires_in_days", message, ErrorCode.OUT_OF_RANGE)
    narrowing = await narrowing_of(scope.actor, user, read_only, company_ids, check)
    check.raise_if_any()
    async with in_transaction():
        issued = await issue_token(scope, user, cleaned_name or "", timedelta(days=days), narrowing)
        changes = [
            changed("name", None, issued.token.name),
            changed("prefix", None, issued.token.prefix),
            *narrowing_changes(narrowing),
        ]
        await record(
            scope, AuditAction.API_TOKEN_CREATED, issued.token, user_id=user.id, changes=changes
        )
    return issued


async def revoke_api_token(scope: Scope, token_id: int) -> ApiToken:
    token = await get_api_token(scope, token_id)
    if token.revoked_at is None:
        token.revoked_at = scope.now
        async with in_transaction():
            await token.save(update_fields=["revoked_at"])
            change = changed("name", token.name, None)
            await record(
                scope, AuditAction.API_TOKEN_REVOKED, token, user_id=token.user_id, changes=[change]
            )
        forget_signed_in()
    return token


async def list_api_tokens(scope: Scope, order: TokenOrder | None = None) -> list[ApiToken]:
    user = require_user(scope.actor)
    return await tokens_in_order(user.id, order)


def tokens_in_order(user_id: int, order: TokenOrder | None) -> QuerySet[ApiToken]:
    tokens = ApiToken.filter(user_id=user_id)
    names = []
    for number, (sql, descending) in enumerate(token_order_sql(order, table(ApiToken))):
        tokens = tokens.annotate(**{f"order_{number}": RawSQL(sql)})
        names.append(f"{'-' if descending else ''}order_{number}")
    return tokens.order_by(*names)


async def authenticate(secret: str | None, now: datetime, cache: TokenCache | None = None) -> Actor:
    """The actor a bearer token names; no token is anonymous, a bad one is refused (tokens
    are ASCII: other text, such as a header's bytes that are not UTF-8, is no token). With a
    `cache`, a token looked up lately is not looked up again (see `token_cache`)."""
    if not secret:
        return ANONYMOUS
    if not secret.isascii():
        raise Unauthenticated()
    digest = _digest(secret)
    token = cache.get(digest) if cache is not None else None
    if token is None:
        read = functools.partial(_token_of, digest)
        token = await read() if cache is None else await cache.look_up(digest, read)
    if token is None or not _usable(token, now):
        raise Unauthenticated()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        await ApiToken.filter(id=token.id).update(last_used_at=now)
        token.last_used_at = now
        if cache is not None:
            cache.keep(digest, token)
    return actor_of(token)


async def still_signed_in(actor: Actor, now: datetime) -> Actor:
    """The actor as the database has it now, for a connection that outlives its request: a
    token revoked or expired since, or a user disabled since, is refused."""
    if actor.token_id is None:
        return actor
    token = await ApiToken.get_or_none(id=actor.token_id).select_related("user")
    if token is None or not _usable(token, now):
        raise Unauthenticated()
    return actor_of(token)


async def unusable_tokens(token_ids: set[int], now: datetime) -> set[int]:
    """Which of these tokens are revoked, expired or gone, or whose users are disabled: one
    statement for every connection of a process that outlives its request."""
    if not token_ids:
        return set()
    tokens = await ApiToken.filter(id__in=token_ids).select_related("user")
    return token_ids - {token.id for token in tokens if _usable(token, now)}


async def _token_of(digest: str) -> ApiToken | None:
    return await ApiToken.get_or_none(secret_hash=digest).select_related("user")


def _usable(token: ApiToken, now: datetime) -> bool:
    return (
        token.revoked_at is None
        and (token.expires_at is None or token.expires_at > now)
        and token.user.status is UserStatus.ACTIVE
    )


async def get_api_token(scope: Scope, token_id: int) -> ApiToken:
    user = require_user(scope.actor)
    token = await ApiToken.get_or_none(id=token_id, user_id=user.id)
    if token is None:
        raise NotFound()
    return token
