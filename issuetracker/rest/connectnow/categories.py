"""/api/categories"""

from aiohttp import web

from ...resolvers.companies import categories
from ...web import SCOPE, json_response
from ..request import int_list, path_id, query_list, read_body, require, signed_in, text_field
from .formats import category_json
from .includes import categories_json, requested_includes
from .responses import page_args, paginated

INCLUDES = {"company", "issues"}


async def list_categories(request: web.Request) -> web.Response:
    scope, args = request[SCOPE], page_args(request)
    includes = requested_includes(request, INCLUDES)
    company_ids = int_list("company_ids", query_list(request.query, "company_ids"))
    page = await categories.list_categories(scope, args, company_ids)
    rows = await categories_json(scope.actor, list(page.items), includes)
    return paginated(request, page, args, rows)


@signed_in
async def create_category(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "name", "company_id")
    [company_id] = int_list("company_id", [body["company_id"]]) or [0]
    category = await categories.create_category(
        request[SCOPE], company_id, text_field(body, "name")
    )
    return json_response(category_json(category), status=201)


async def show_category(request: web.Request) -> web.Response:
    scope, includes = request[SCOPE], requested_includes(request, INCLUDES)
    category = await categories.get_category(scope, path_id(request))
    [row] = await categories_json(scope.actor, [category], includes)
    return json_response(row)


@signed_in
async def update_category(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "name")
    category = await categories.update_category(
        request[SCOPE], path_id(request), text_field(body, "name")
    )
    return json_response(category_json(category))


@signed_in
async def delete_category(request: web.Request) -> web.Response:
    await categories.delete_category(request[SCOPE], path_id(request))
    return web.Response(status=204)
