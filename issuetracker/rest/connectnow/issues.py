"""/api/issues"""

from datetime import UTC, datetime, time

from aiohttp import web

from ...models import IssueStatus, Severity
from ...resolvers.core.errors import ErrorCode
from ...resolvers.core.validation import Collector
from ...resolvers.issues import reads, writes
from ...resolvers.issues.inputs import IssueChanges, IssueDraft, IssueFilter
from ...web import SCOPE, json_response, json_text_response
from ..request import int_list, path_id, query_list, read_body, require, signed_in, text_field
from .formats import created_issue_json, issue_json
from .includes import requested_includes
from .issue_sql import issue_page_text, issues_text
from .responses import page_args, paginated_text

INCLUDES = {"categories", "categories.company", "events"}


def _day(check: Collector, field: str, raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.combine(datetime.strptime(raw, "%Y-%m-%d").date(), time(), UTC)
    except ValueError:
        check.add(field, f"The {field} does not match the format Y-m-d.", ErrorCode.INVALID_DATE)
        return None


def _filter(request: web.Request) -> IssueFilter:
    query, check = request.query, Collector()
    wanted = IssueFilter(
        company_ids=int_list("company_ids", query_list(query, "company_ids")),
        category_ids=int_list("category_ids", query_list(query, "category_ids")),
        severity=check.choice("severity", query.get("severity") or None, Severity),
        status=check.choice("status", query.get("status") or None, IssueStatus),
        created_after=_day(check, "after", query.get("after")),
        created_before=_day(check, "before", query.get("before")),
    )
    check.raise_if_any()
    return wanted


async def list_issues(request: web.Request) -> web.Response:
    scope, args = request[SCOPE], page_args(request)
    wanted, includes = _filter(request), requested_includes(request, INCLUDES)
    rows, more, count = await issue_page_text(scope, wanted, args, includes)
    return paginated_text(request, args, rows, more, count)


@signed_in
async def create_issue(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "category_ids", "name", "description", "severity")
    draft = IssueDraft(
        name=text_field(body, "name"),
        description=text_field(body, "description"),
        severity=text_field(body, "severity"),
        category_ids=int_list("category_ids", body.get("category_ids")),
    )
    issue = await writes.create_issue(request[SCOPE], draft)
    return json_response(created_issue_json(issue), status=201)


async def show_issue(request: web.Request) -> web.Response:
    scope, includes = request[SCOPE], requested_includes(request, INCLUDES)
    issue = await reads.get_issue(scope, issue_id=path_id(request))
    rows = await issues_text(scope.actor, [issue.id], includes)
    return json_text_response(rows[1:-1])


@signed_in
async def update_issue(request: web.Request) -> web.Response:
    body = await read_body(request)
    # `category_ids` is optional, but when sent it must name categories (Laravel's `required`).
    require(body, "description", *(["category_ids"] if "category_ids" in body else []))
    changes = IssueChanges(
        name=text_field(body, "name"),
        description=text_field(body, "description"),
        severity=text_field(body, "severity"),
        category_ids=int_list("category_ids", body.get("category_ids")),
    )
    issue = await writes.update_issue(request[SCOPE], path_id(request), changes)
    return json_response(issue_json(issue))


@signed_in
async def close_issue(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "description")
    issue_id = path_id(request)
    issue = await writes.close_issue(request[SCOPE], issue_id, text_field(body, "description"))
    return json_response(issue_json(issue))


@signed_in
async def delete_issue(request: web.Request) -> web.Response:
    await writes.delete_issue(request[SCOPE], path_id(request))
    return web.Response(status=204)
