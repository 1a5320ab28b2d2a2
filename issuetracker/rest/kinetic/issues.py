"""/api/v1/issues, /api/v1/users/<guid>/shared_issues and /api/v1/tags."""

from aiohttp import web

from ...models import IssueStatus
from ...resolvers.core.errors import ErrorCode, ValidationFailed
from ...resolvers.issues import reads, writes
from ...resolvers.issues.inputs import IssueFilter
from ...resolvers.issues.whole_issue import edit_whole_issue
from ...web import SCOPE, json_response
from ..request import read_body, signed_in
from .formats import STATUSES
from .inputs import draft_of, path_guid, whole_edit_of
from .responses import issue_page, issue_response, page_args


@signed_in
async def list_issues(request: web.Request) -> web.Response:
    """The caller's issues, newest first."""
    scope, args = request[SCOPE], page_args(request)
    page = await reads.list_issues(scope, IssueFilter(involving_viewer=True), args)
    return await issue_page(scope.actor, page, args)


@signed_in
async def search_issues(request: web.Request) -> web.Response:
    """The caller's issues with a status, or matching keywords (most relevant first)."""
    scope, args = request[SCOPE], page_args(request)
    status = request.query.get("status", "").strip()
    query = request.query.get("query", "").strip()
    if bool(status) == bool(query):
        message = (
            "Use either the status or the query parameter, not both."
            if status
            else "The status or the query parameter is required."
        )
        raise ValidationFailed.single("query", message, ErrorCode.INVALID_ARGUMENTS)
    if status:
        page = await reads.list_issues(scope, _with_status(status), args)
    else:
        wanted = IssueFilter(involving_viewer=True, search=query, plain_search=True)
        page = await reads.search_issues(scope, wanted, args)
    return await issue_page(scope.actor, page, args)


def _with_status(status: str) -> IssueFilter:
    if status == "Deleted":
        return IssueFilter(involving_viewer=True, deleted=True)
    if status not in STATUSES:
        message = f"The status must be one of: {', '.join(STATUSES)}."
        raise ValidationFailed.single("status", message, ErrorCode.INVALID_CHOICE)
    return IssueFilter(involving_viewer=True, status=IssueStatus(status.lower()))


@signed_in
async def create_issue(request: web.Request) -> web.Response:
    scope = request[SCOPE]
    issue = await writes.create_issue(scope, draft_of(await read_body(request)))
    return await issue_response(scope.actor, issue)


@signed_in
async def show_issue(request: web.Request) -> web.Response:
    """Deleted issues too, to those who may see them."""
    scope = request[SCOPE]
    issue = await reads.get_issue(scope, guid=path_guid(request), include_deleted=True)
    return await issue_response(scope.actor, issue)


@signed_in
async def update_issue(request: web.Request) -> web.Response:
    """A whole issue as fetched, or some of its fields: see `whole_issue`."""
    scope, guid = request[SCOPE], path_guid(request)
    edit = whole_edit_of(await read_body(request))
    return await issue_response(scope.actor, await edit_whole_issue(scope, guid, edit))


@signed_in
async def delete_issue(request: web.Request) -> web.Response:
    """Soft: answers the issue as it now is, with status "Deleted"."""
    scope = request[SCOPE]
    issue = await writes.delete_issue(scope, guid=path_guid(request))
    return await issue_response(scope.actor, issue)


@signed_in
async def list_shared_issues(request: web.Request) -> web.Response:
    """Issues both the caller and that user take part in."""
    scope, args = request[SCOPE], page_args(request)
    page = await reads.list_shared_issues(scope, path_guid(request), args)
    return await issue_page(scope.actor, page, args)


@signed_in
async def list_tags(request: web.Request) -> web.Response:
    return json_response(await reads.list_my_tags(request[SCOPE]))
