"""The URL map of the ConnectNow dialect."""

from aiohttp import web

from ...web import Face
from . import categories, companies, issues, subscriptions, webhooks
from .openapi import openapi_document
from .responses import render_error, render_http_error

PREFIX = "/api"
FACE = Face(PREFIX, render_error, render_http_error, writes_by_method=True)


def add_routes(router: web.UrlDispatcher) -> None:
    resources = [
        ("issues", issues.list_issues, issues.create_issue),
        ("categories", categories.list_categories, categories.create_category),
        ("companies", companies.list_companies, companies.create_company),
        ("webhooks", webhooks.list_webhooks, webhooks.create_webhook),
    ]
    for name, list_handler, create_handler in resources:
        router.add_get(f"{PREFIX}/{name}", list_handler, allow_head=False)
        router.add_post(f"{PREFIX}/{name}", create_handler)
    singles = [
        ("issues", issues.show_issue, issues.update_issue, issues.delete_issue),
        (
            "categories",
            categories.show_category,
            categories.update_category,
            categories.delete_category,
        ),
        ("companies", companies.show_company, companies.update_company, companies.delete_company),
        ("webhooks", webhooks.show_webhook, webhooks.update_webhook, webhooks.delete_webhook),
    ]
    for name, show, update, delete in singles:
        router.add_get(f"{PREFIX}/{name}/{{id}}", show, allow_head=False)
        router.add_put(f"{PREFIX}/{name}/{{id}}", update)
        router.add_delete(f"{PREFIX}/{name}/{{id}}", delete)
    router.add_post(f"{PREFIX}/issues/{{id}}/close", issues.close_issue)
    router.add_post(f"{PREFIX}/issues/{{id}}/subscriptions", subscriptions.subscribe_to_issue)
    router.add_post(
        f"{PREFIX}/categories/{{id}}/subscriptions", subscriptions.subscribe_to_category
    )
    router.add_get(f"{PREFIX}/openapi.json", openapi_document, allow_head=False)
