"""/api/v1/issues, /api/v1/users/<guid>/shared_issues and /api/v1/tags."""

from aiohttp import web

from ...models import IssueStatus
from ...resolvers import collaboration, issues
from ...resolvers.errors import ValidationFailed
from ...resolvers.issue_inputs import IssueFilter
from ...web import ACTOR, SETTINGS
from ..request import read_body, signed_in
from .formats import STATUSES
from .inputs import draft_of, edit_of, path_guid
from .related import issue_json_for
from .responses import issue_page, issue_response, page_args


@signed_in
async def list_issues(request: web.Request) -> web.Response:
    """The caller's issues, newest first."""
    actor, args = request[ACTOR], page_args(request)
    page = await issues.list_issues(actor, IssueFilter(involving_viewer=True), args)
    return await issue_page(actor, page, args)


@signed_in
async def search_issues(request: web.Request) -> web.Response:
    """The caller's issues with a status, or matching keywords (most relevant first)."""
    actor, args = request[ACTOR], page_args(request)
    status = request.query.get("status", "").strip()
    query = request.query.get("query", "").strip()
    if bool(status) == bool(query):
        message = (
            "Use either the status or the query parameter, not both."
            if status
            else "The status or the query parameter is required."
        )
        raise ValidationFailed.single("query", message, "INVALID_ARGUMENTS")
    if status:
        page = await issues.list_issues(actor, _with_status(status), args)
    else:
        wanted = IssueFilter(involving_viewer=True, search=query)
        page = await issues.search_issues(actor, wanted, args)
    return await issue_page(actor, page, args)


def _with_status(status: str) -> IssueFilter:
    if status == "Deleted":
        return IssueFilter(involving_viewer=True, deleted=True)
    if status not in STATUSES:
        message = f"The status must be one of: {', '.join(STATUSES)}."
        raise ValidationFailed.single("status", message, "INVALID_CHOICE")
    return IssueFilter(involving_viewer=True, status=IssueStatus(status.lower()))


@signed_in
async def create_issue(request: web.Request) -> web.Response:
    draft = draft_of(await read_body(request))
    hosts = request.app[SETTINGS].webhook_allowed_hosts
    issue = await issues.create_issue(request[ACTOR], draft, allowed_webhook_hosts=hosts)
    return await issue_response(request[ACTOR], issue)


@signed_in
async def show_issue(request: web.Request) -> web.Response:
    """Deleted issues too, to those who may see them."""
    actor = request[ACTOR]
    issue = await issues.get_issue(actor, guid=path_guid(request), include_deleted=True)
    return await issue_response(actor, issue)


@signed_in
async def update_issue(request: web.Request) -> web.Response:
    actor, guid = request[ACTOR], path_guid(request)
    body = await read_body(request)
    issue = await issues.get_issue(actor, guid=guid)
    edit = edit_of(body, await issue_json_for(actor, issue))
    updated = await collaboration.update_issue_and_parts(
        actor,
        issue.id,
        edit.changes,
        edit.parts,
        allowed_webhook_hosts=request.app[SETTINGS].webhook_allowed_hosts,
    )
    return await issue_response(actor, updated)


@signed_in
async def delete_issue(request: web.Request) -> web.Response:
    """Soft: answers the issue as it now is, with status "Deleted"."""
    actor = request[ACTOR]
    issue = await issues.get_issue(actor, guid=path_guid(request))
    return await issue_response(actor, await issues.delete_issue(actor, issue.id))


@signed_in
async def list_shared_issues(request: web.Request) -> web.Response:
    """Issues both the caller and that user take part in."""
    actor, args = request[ACTOR], page_args(request)
    page = await issues.list_shared_issues(actor, path_guid(request), args)
    return await issue_page(actor, page, args)


@signed_in
async def list_tags(request: web.Request) -> web.Response:
    return web.json_response(await issues.list_my_tags(request[ACTOR]))
