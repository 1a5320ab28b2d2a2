"""Categories belong to a company; its members manage them."""

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from ...models import AuditAction, Category
from ..audit.record import changed, record
from ..core.actor import require_user
from ..core.errors import ErrorCode, NotFound, ValidationFailed
from ..core.pagination import Page, Pagination, paginate
from ..core.permissions import ensure_member
from ..core.scope import Scope
from ..core.validation import Collector, column_limit
from ..core.visibility import ensure_all_visible, visible_categories, visible_companies
from ..status import stamps


async def list_categories(
    scope: Scope, page: Pagination, company_ids: list[int] | None = None
) -> Page[Category]:
    await ensure_all_visible(visible_companies(scope.actor), company_ids, "company_ids")
    categories = visible_categories(scope.actor)
    if company_ids is not None:
        categories = categories.filter(company_id__in=company_ids)
    return await paginate(categories, page, newest_first=False)


async def get_category(scope: Scope, category_id: int) -> Category:
    category = await visible_categories(scope.actor).get_or_none(id=category_id)
    if category is None:
        raise NotFound("Category not found.")
    return category


def _clean_name(name: str | None) -> str:
    check = Collector()
    cleaned = check.text("name", name, max_length=column_limit(Category, "name"))
    check.raise_if_any()
    return cleaned or ""


def _name_taken() -> ValidationFailed:
    return ValidationFailed.single(
        "name", "The company already has a category with this name.", ErrorCode.TAKEN
    )


async def create_category(scope: Scope, company_id: int | None, name: str | None) -> Category:
    require_user(scope.actor)
    cleaned = _clean_name(name)
    company = await visible_companies(scope.actor).get_or_none(id=company_id or 0)
    if company is None:
        raise ValidationFailed.single(
            "company_id", "The selected company is invalid.", ErrorCode.UNKNOWN
        )
    await ensure_member(scope.actor, company.id)
    if await Category.exists(company_id=company.id, name=cleaned):
        raise _name_taken()
    try:
        async with in_transaction():
            category = await Category.create(company=company, name=cleaned)
            await stamps.company_changed(scope.now, company.id)
    except IntegrityError as race:
        raise _name_taken() from race
    return category


async def update_category(scope: Scope, category_id: int, name: str | None) -> Category:
    require_user(scope.actor)
    category = await get_category(scope, category_id)
    await ensure_member(scope.actor, category.company_id)
    cleaned = _clean_name(name)
    if cleaned != category.name:
        if await Category.exists(company_id=category.company_id, name=cleaned):
            raise _name_taken()
        category.name = cleaned
        try:
            async with in_transaction():
                await category.save(update_fields=["name", "updated_at"])
                await stamps.company_changed(scope.now, category.company_id)
        except IntegrityError as race:
            raise _name_taken() from race
    return category


async def delete_category(scope: Scope, category_id: int) -> Category:
    require_user(scope.actor)
    category = await get_category(scope, category_id)
    await ensure_member(scope.actor, category.company_id)
    async with in_transaction():
        await category.delete()
        await stamps.company_changed(scope.now, category.company_id)
        change = changed("name", category.name, None)
        await record(
            scope,
            AuditAction.CATEGORY_DELETED,
            category,
            company_id=category.company_id,
            changes=[change],
        )
    return category
