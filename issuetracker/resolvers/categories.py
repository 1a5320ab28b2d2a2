"""Categories belong to a company; its members manage them."""

from tortoise.exceptions import IntegrityError

from ..models import Category
from .actor import Actor, require_user
from .errors import NotFound, ValidationFailed
from .pagination import Page, Pagination, paginate
from .permissions import ensure_member
from .validation import Collector
from .visibility import ensure_all_visible, visible_categories, visible_companies


async def list_categories(
    actor: Actor, page: Pagination, company_ids: list[int] | None = None
) -> Page[Category]:
    await ensure_all_visible(visible_companies(actor), company_ids, "company_ids")
    categories = visible_categories(actor)
    if company_ids is not None:
        categories = categories.filter(company_id__in=company_ids)
    return await paginate(categories, page, newest_first=False)


async def get_category(actor: Actor, category_id: int) -> Category:
    category = await visible_categories(actor).get_or_none(id=category_id)
    if category is None:
        raise NotFound("Category not found.")
    return category


def _clean_name(name: str | None) -> str:
    check = Collector()
    cleaned = check.text("name", name)
    check.raise_if_any()
    return cleaned or ""


def _name_taken() -> ValidationFailed:
    return ValidationFailed.single(
        "name", "The company already has a category with this name.", "TAKEN"
    )


async def create_category(actor: Actor, company_id: int | None, name: str | None) -> Category:
    require_user(actor)
    cleaned = _clean_name(name)
    company = await visible_companies(actor).get_or_none(id=company_id or 0)
    if company is None:
        raise ValidationFailed.single("company_id", "The selected company is invalid.", "UNKNOWN")
    await ensure_member(actor, company.id)
    if await Category.exists(company_id=company.id, name=cleaned):
        raise _name_taken()
    try:
        return await Category.create(company=company, name=cleaned)
    except IntegrityError as race:
        raise _name_taken() from race


async def update_category(actor: Actor, category_id: int, name: str | None) -> Category:
    require_user(actor)
    category = await get_category(actor, category_id)
    await ensure_member(actor, category.company_id)
    cleaned = _clean_name(name)
    if cleaned != category.name:
        if await Category.exists(company_id=category.company_id, name=cleaned):
            raise _name_taken()
        category.name = cleaned
        try:
            await category.save(update_fields=["name", "updated_at"])
        except IntegrityError as race:
            raise _name_taken() from race
    return category


async def delete_category(actor: Actor, category_id: int) -> Category:
    require_user(actor)
    category = await get_category(actor, category_id)
    await ensure_member(actor, category.company_id)
    await category.delete()
    return category
