"""/api/companies"""

from aiohttp import web

from ...resolvers.companies import companies
from ...resolvers.companies.companies import CompanyChanges
from ...web import SCOPE, json_response
from ..request import path_id, read_body, require, signed_in, text_field
from .formats import company_json
from .includes import companies_json, requested_includes
from .responses import page_args, paginated

INCLUDES = {"categories", "issues"}


async def list_companies(request: web.Request) -> web.Response:
    scope, args = request[SCOPE], page_args(request)
    includes = requested_includes(request, INCLUDES)
    page = await companies.list_companies(scope, args)
    rows = await companies_json(scope.actor, list(page.items), includes)
    return paginated(request, page, args, rows)


@signed_in
async def create_company(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "name")
    changes = CompanyChanges(name=text_field(body, "name"))
    company = await companies.create_company(request[SCOPE], changes)
    return json_response(company_json(company), status=201)


async def show_company(request: web.Request) -> web.Response:
    scope, includes = request[SCOPE], requested_includes(request, INCLUDES)
    company = await companies.get_company(scope, path_id(request))
    [row] = await companies_json(scope.actor, [company], includes)
    return json_response(row)


@signed_in
async def update_company(request: web.Request) -> web.Response:
    body = await read_body(request)
    require(body, "name")
    changes = CompanyChanges(name=text_field(body, "name"))
    company = await companies.update_company(request[SCOPE], path_id(request), changes)
    return json_response(company_json(company))


@signed_in
async def delete_company(request: web.Request) -> web.Response:
    await companies.delete_company(request[SCOPE], path_id(request))
    return web.Response(status=204)
