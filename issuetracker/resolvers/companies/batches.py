"""Batched reads of companies and their categories (see `core/batches.py`)."""

from collections.abc import Sequence

from ...models import Category, Company, Membership, Role
from ..core.actor import Actor
from ..core.batches import grouped
from ..core.sql import own_membership_sql, table, viewer_of, where
from ..core.visibility import visible_companies


async def categories_by_company_ids(company_ids: Sequence[int]) -> list[list[Category]]:
    """Only called for companies the actor already sees, so all their categories are visible."""
    categories = await Category.filter(company_id__in=company_ids).order_by("id")
    return grouped([(category.company_id, category) for category in categories], company_ids)


async def companies_by_ids(actor: Actor, company_ids: Sequence[int]) -> list[Company | None]:
    companies = await visible_companies(actor).filter(id__in=company_ids)
    by_id = {company.id: company for company in companies}
    return [by_id.get(key) for key in company_ids]


async def roles_by_company_ids(actor: Actor, company_ids: Sequence[int]) -> list[Role | None]:
    """The actor's role in each company, by its own membership (`viewer_membership`'s rule)."""
    viewer = viewer_of(actor)
    if viewer is None:
        return [None for _ in company_ids]
    own = where(
        Membership.filter(company_id__in=company_ids), own_membership_sql(table(Membership), viewer)
    )
    roles = dict(await own.values_list("company_id", "role"))
    return [roles.get(key) for key in company_ids]
