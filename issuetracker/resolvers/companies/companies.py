"""Companies: public by default, seen by everyone then; members edit the name and logo; owners
and admins change their visibility and slug, and delete them."""

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from ...models import AuditAction, Company, Membership, Role
from ..audit.record import changed, record
from ..core.actor import require_user, require_verified_user
from ..core.errors import ErrorCode, NotFound, ValidationFailed
from ..core.orders import ListOrder, paginate_in_order
from ..core.pagination import Page, Pagination
from ..core.permissions import ensure_company_manager, ensure_manager_role, ensure_member
from ..core.scope import Scope
from ..core.validation import Collector, column_limit
from ..core.visibility import visible_companies
from ..status import stamps
from .slugs import TAKEN, clean_slug, ensure_slug_free, free_slug, retire_slug

NAME_LENGTH = column_limit(Company, "name")
LOGO_URL_LENGTH = column_limit(Company, "logo_url")


@dataclass(frozen=True, slots=True)
class CompanyChanges:
    name: str | None = None
    logo_url: str | None = None
    is_public: bool | None = None
    slug: str | None = None


SLUG_ATTEMPTS = 3
"""Two companies of one name made at once may both pick the same free slug: the second to
commit tries the next one."""


def _slug_taken() -> ValidationFailed:
    return ValidationFailed.single("slug", TAKEN, ErrorCode.TAKEN)


async def list_companies(
    scope: Scope, page: Pagination, order: ListOrder | None = None
) -> Page[Company]:
    companies = visible_companies(scope.actor)
    return await paginate_in_order(companies, page, order, newest_first=False)


async def list_member_companies(
    scope: Scope, page: Pagination, order: ListOrder | None = None
) -> Page[Company]:
    user = require_user(scope.actor)
    mine = Company.filter(memberships__user_id=user.id)
    return await paginate_in_order(mine, page, order, newest_first=False)


async def get_company(scope: Scope, company_id: int) -> Company:
    company = await visible_companies(scope.actor).get_or_none(id=company_id)
    if company is None:
        raise NotFound("Company not found.")
    return company


def _clean(changes: CompanyChanges, *, creating: bool) -> dict[str, Any]:
    check = Collector()
    values: dict[str, Any] = {}
    if creating or changes.name is not None:
        values["name"] = check.text("name", changes.name, max_length=NAME_LENGTH)
    if changes.logo_url is not None:
        logo_url = check.text(
            "logo_url", changes.logo_url, max_length=LOGO_URL_LENGTH, required=False
        )
        values["logo_url"] = logo_url or None  # an empty URL removes the logo
    if changes.is_public is not None:
        values["is_public"] = changes.is_public
    if changes.slug is not None:
        values["slug"] = clean_slug(check, changes.slug)
    check.raise_if_any()
    return values


async def create_company(scope: Scope, changes: CompanyChanges) -> Company:
    """The slug asked for, or one made from the name."""
    user = require_verified_user(scope.actor)
    values = _clean(changes, creating=True)
    chosen = values.pop("slug", None)
    if chosen is not None:
        await ensure_slug_free(chosen, scope.now, None)
    for _ in range(SLUG_ATTEMPTS):
        slug = chosen or await free_slug(values["name"], scope.now)
        try:
            async with in_transaction():
                company = Company(slug=slug, **values)
                await retire_slug(company, slug, scope.now)
                await company.save()
                await Membership.create(user=user, company=company, role=Role.OWNER)
                await _record_created(scope, company)
        except IntegrityError:
            if chosen is not None:
                raise _slug_taken() from None
            continue
        return company
    raise _slug_taken()


async def _record_created(scope: Scope, company: Company) -> None:
    changes = [
        changed("name", None, company.name),
        changed("slug", None, company.slug),
        changed("isPublic", None, company.is_public),
    ]
    await record(
        scope, AuditAction.COMPANY_CREATED, company, company_id=company.id, changes=changes
    )


AUDITED_CHANGES = {
    "name": ("name", AuditAction.COMPANY_RENAMED),
    "is_public": ("isPublic", AuditAction.COMPANY_VISIBILITY_CHANGED),
    "slug": ("slug", AuditAction.COMPANY_SLUG_CHANGED),
}


async def _record_changes(scope: Scope, company: Company, values: dict[str, Any]) -> None:
    """One entry for each audited change; before the model takes the new values."""
    for column, (field, action) in AUDITED_CHANGES.items():
        before = getattr(company, column)
        if column in values and values[column] != before:
            change = changed(field, before, values[column])
            await record(scope, action, company, company_id=company.id, changes=[change])


async def update_company(scope: Scope, company_id: int, changes: CompanyChanges) -> Company:
    """Members edit the name and logo; making the company public or private, or changing its
    slug, like deleting it, is for its owners and admins (asking for the visibility or slug it
    already has changes nothing, so anyone may send it back)."""
    require_user(scope.actor)
    company = await get_company(scope, company_id)
    role = await ensure_member(scope.actor, company.id)
    if changes.is_public is not None and changes.is_public != company.is_public:
        message = "Only owners and admins of the company may make it public or private."
        ensure_manager_role(role, message)
    if changes.slug is not None and changes.slug != company.slug:
        ensure_manager_role(role, "Only owners and admins of the company may change its slug.")
    values = _clean(changes, creating=False)
    if values.get("slug") == company.slug:
        del values["slug"]
    if "slug" in values:
        await ensure_slug_free(values["slug"], scope.now, company.id)
    if values:
        await _save_changes(scope, company, values)
    return company


async def _save_changes(scope: Scope, company: Company, values: dict[str, Any]) -> None:
    try:
        async with in_transaction():
            if "slug" in values:
                await retire_slug(company, values["slug"], scope.now)
            await _record_changes(scope, company, values)
            await company.update_from_dict(values).save()
            await stamps.company_changed(scope.now, company.id)
    except IntegrityError:  # another company took the slug at the same moment
        raise _slug_taken() from None


async def delete_company(scope: Scope, company_id: int) -> Company:
    require_user(scope.actor)
    company = await get_company(scope, company_id)
    await ensure_company_manager(scope.actor, company.id)
    async with in_transaction():
        change = changed("name", company.name, None)
        await record(
            scope, AuditAction.COMPANY_DELETED, company, company_id=company.id, changes=[change]
        )
        await company.delete()
    return company
