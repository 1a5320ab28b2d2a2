"""The URL map of the Kinetic dialect."""

from aiohttp import web

from ...web import Face
from . import issues
from .openapi import openapi_document
from .responses import render_error, render_http_error

PREFIX = "/api/v1"
FACE = Face(PREFIX, render_error, render_http_error, writes_by_method=True)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(f"{PREFIX}/issues", issues.list_issues, allow_head=False)
    router.add_post(f"{PREFIX}/issues", issues.create_issue)
    # Before `issues/{guid}`, which would otherwise take "search" for a guid.
    router.add_get(f"{PREFIX}/issues/search", issues.search_issues, allow_head=False)
    router.add_get(f"{PREFIX}/issues/{{guid}}", issues.show_issue, allow_head=False)
    router.add_put(f"{PREFIX}/issues/{{guid}}", issues.update_issue)
    router.add_delete(f"{PREFIX}/issues/{{guid}}", issues.delete_issue)
    router.add_get(
        f"{PREFIX}/users/{{guid}}/shared_issues", issues.list_shared_issues, allow_head=False
    )
    router.add_get(f"{PREFIX}/tags", issues.list_tags, allow_head=False)
    router.add_get(f"{PREFIX}/openapi.json", openapi_document, allow_head=False)
