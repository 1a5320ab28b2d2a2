"""A company's status version: bumped, with the time, in the transaction of every change its
status page shows, so that one statement (`stamp_of`) tells whether a rendered copy made from
an earlier version is still good, in any process.

What a page shows: the company (name, logo, slug, visibility), its categories, and the issues
in them with their timelines. Every change to an issue is announced (`live.changes`), which
bumps the companies of the categories the issue is in after the change; taking an issue out
of a category bumps that category's company too (`categories_changed`). Versions are bumped
under the companies' row locks, in id order, so they follow the order of the commits."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from tortoise import connections

from ...sqljson.dialects import POSTGRES, SQLITE, Dialect
from ...sqljson.statements import current_dialect, fetch_row
from ..companies.slugs import SLUG_FORM, old_slugs_kept_since
from ..core.fragments import inner, link_of
from ..core.visibility import company_visible
from .times import stored_time


def _bump(dialect: Dialect, companies: str) -> str:
    """The statement bumping the companies whose ids `companies` (SQL, parameters from 2)
    selects; the time is parameter 1."""
    locked = dialect.ids_locked_in_order("companies", companies)
    return (
        "UPDATE companies SET status_version = status_version + 1,"
        f" status_changed_at = {dialect.param(1)} WHERE id IN ({locked})"
    )


async def _run(companies: str, now: datetime, *values: object) -> None:
    dialect = current_dialect()
    client = connections.get("default")
    numbered = companies.format(*(dialect.param(n + 2) for n in range(len(values))))
    await client.execute_query(_bump(dialect, numbered), [dialect.datetime_value(now), *values])


async def issue_changed(now: datetime, issue_id: int) -> None:
    """Inside the change's transaction, once the issue's categories are as the change leaves
    them."""
    link, category = link_of("changed"), inner("changed", "category")
    await _run(
        f"SELECT {category}.company_id FROM issue_categories AS {link}"
        f" JOIN categories AS {category} ON {category}.id = {link}.category_id"
        f" WHERE {link}.issue_id = {{}}",
        now,
        issue_id,
    )


async def categories_changed(now: datetime, category_ids: Collection[int]) -> None:
    """Inside the change's transaction: the categories' companies' pages changed."""
    if not category_ids:
        return
    dialect = current_dialect()
    category = inner("changed", "category")
    await _run(
        f"SELECT {category}.company_id FROM categories AS {category} WHERE "
        + dialect.in_int_list(f"{category}.id", 2),
        now,
        dialect.int_list(sorted(category_ids)),
    )


async def company_changed(now: datetime, company_id: int) -> None:
    await _run("{}", now, company_id)


@dataclass(frozen=True, slots=True)
class Stamp:
    """A public company found by a slug of its, current or old, and its status version."""

    company_id: int
    slug: str
    """Its current slug: a request with another (old) one is redirected."""
    version: int
    changed_at: datetime
    """When the version was last bumped (or the company last changed, before any bump)."""


def _stamp_sql(dialect: Dialect) -> str:
    slug, kept_since = dialect.param(1), dialect.param(2)
    old = inner("co", "old_slug")
    return (
        "SELECT co.id, co.slug, co.status_version,"
        " coalesce(co.status_changed_at, co.updated_at)"
        " FROM companies AS co"
        f" WHERE (co.slug = {slug} OR co.id = (SELECT {old}.company_id"
        f" FROM company_slugs AS {old} WHERE {old}.slug = {slug}"
        f" AND {old}.retired_at > {kept_since}))"
        f" AND {company_visible('co', None)}"
    )


_STAMP_SQL = {dialect: _stamp_sql(dialect) for dialect in (POSTGRES, SQLITE)}


async def stamp_of(slug: str, now: datetime) -> Stamp | None:
    """One statement; None when no public company has or lately had the slug."""
    if not SLUG_FORM.fullmatch(slug):
        return None
    dialect = current_dialect()
    row = await fetch_row(
        _STAMP_SQL[dialect], [slug, dialect.datetime_value(old_slugs_kept_since(now))]
    )
    if row is None:
        return None
    company_id, current_slug, version, changed_at = cast(tuple[int, str, int, object], row)
    return Stamp(company_id, current_slug, version, stored_time(changed_at))
