"""`with=` includes: related rows fetched in one batch per relation, never one per row."""

from typing import Any

from aiohttp import web

from ...models import Category, Company, Issue
from ...resolvers.companies import batches as company_batches
from ...resolvers.core.actor import Actor
from ...resolvers.core.errors import ErrorCode, ValidationFailed
from ...resolvers.issues import batches
from ..request import query_list
from .formats import category_json, company_json, event_json, issue_json


def requested_includes(request: web.Request, allowed: set[str]) -> set[str]:
    wanted = set(query_list(request.query, "with") or [])
    if wanted - allowed:
        raise ValidationFailed.single(
            "with", "The selected with is invalid.", ErrorCode.INVALID_CHOICE
        )
    return wanted


async def issues_json(actor: Actor, issues: list[Issue], wanted: set[str]) -> list[dict[str, Any]]:
    rows = [issue_json(issue) for issue in issues]
    ids = [issue.id for issue in issues]
    if "events" in wanted:
        for row, events in zip(rows, await batches.events_by_issue_ids(ids), strict=True):
            row["events"] = [event_json(event) for event in events]
    if wanted & {"categories", "categories.company"}:
        by_issue = await batches.categories_by_issue_ids(actor, ids)
        for row, categories in zip(rows, by_issue, strict=True):
            row["categories"] = [category_json(category) for category in categories]
        if "categories.company" in wanted:
            await _attach_companies(actor, [c for row in rows for c in row["categories"]])
    return rows


async def _attach_companies(actor: Actor, category_rows: list[dict[str, Any]]) -> None:
    company_ids = sorted({row["company_id"] for row in category_rows})
    companies = dict(
        zip(company_ids, await company_batches.companies_by_ids(actor, company_ids), strict=True)
    )
    for row in category_rows:
        company = companies.get(row["company_id"])
        row["company"] = company_json(company) if company else None


async def categories_json(
    actor: Actor, categories: list[Category], wanted: set[str]
) -> list[dict[str, Any]]:
    rows = [category_json(category) for category in categories]
    if "company" in wanted:
        await _attach_companies(actor, rows)
    if "issues" in wanted:
        ids = [category.id for category in categories]
        by_category = await batches.issues_by_category_ids(actor, ids)
        for row, issues in zip(rows, by_category, strict=True):
            row["issues"] = [issue_json(issue) for issue in issues]
    return rows


async def companies_json(
    actor: Actor, companies: list[Company], wanted: set[str]
) -> list[dict[str, Any]]:
    rows = [company_json(company) for company in companies]
    ids = [company.id for company in companies]
    if "categories" in wanted:
        categories_by_company = await company_batches.categories_by_company_ids(ids)
        for row, categories in zip(rows, categories_by_company, strict=True):
            row["categories"] = [category_json(category) for category in categories]
    if "issues" in wanted:
        issues_by_company = await batches.issues_by_company_ids(actor, ids)
        for row, issues in zip(rows, issues_by_company, strict=True):
            row["issues"] = [issue_json(issue) for issue in issues]
    return rows
