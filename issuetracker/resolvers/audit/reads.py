"""Reading the audit log, newest first, keyset-paged on (created_at, id): a company's for its
owners and admins, and each user's own (tokens, webhooks, sign-ins)."""

from datetime import UTC, datetime

from ...models import AuditEntry
from ..companies.companies import get_company
from ..core.actor import require_unlimited, require_user
from ..core.pagination import Page, PageArgs, SortKey, paginate_by_key
from ..core.permissions import ensure_company_manager
from ..core.scope import Scope
from ..core.sql import InputValues, table

KEY_NAME = "created_at"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def newest_first(values: InputValues[None]) -> SortKey:
    stored = f"{table(AuditEntry)}.created_at"
    if values.dialect.stores_times_as_text:
        return SortKey(KEY_NAME, stored, stored, True, str)
    text = f"to_char({stored} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
    return SortKey(KEY_NAME, stored, text, True, _utc)


async def _page(entries_filter: dict[str, int], page: PageArgs) -> Page[AuditEntry]:
    values: InputValues[None] = InputValues(None)
    entries = AuditEntry.filter(**entries_filter)
    return await paginate_by_key(entries, page, newest_first(values), values)


async def company_audit_log(scope: Scope, company_id: int, page: PageArgs) -> Page[AuditEntry]:
    """NOT_FOUND for a company the actor cannot see, FORBIDDEN for one they cannot manage."""
    company = await get_company(scope, company_id)
    await ensure_company_manager(scope.actor, company.id)
    return await _page({"company_id": company.id}, page)


async def own_audit_log(scope: Scope, page: PageArgs) -> Page[AuditEntry]:
    """FORBIDDEN to a company-limited token: the user's own entries reach beyond companies."""
    user = require_user(scope.actor)
    require_unlimited(scope.actor, "read its user's own audit log")
    return await _page({"user_id": user.id}, page)
