"""GraphiQL served by the server itself: a browser's GET of /graphql answers our page, which loads
only the server's own files under a Content-Security-Policy that allows nothing else; and in a
real headless Chromium that reaches no host but the server, the page runs its example query."""

import asyncio
import json
import re

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpServer

from issuetracker.models import Company, Severity
from issuetracker.resolvers.issues.writes import add_issue_event
from issuetracker.server import GRAPHQL, create_app
from issuetracker.settings import Settings

from ..chromium import CHROMIUM, open_page
from ..support import Person, gid, make_category, make_issue

BROWSER = {"Accept": "text/html"}
SCRIPTS = re.compile(r'<script src="([^"]+)"></script>')
STYLESHEETS = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
CACHED_FOREVER = "public, max-age=31536000, immutable"
CONTENT_TYPES = {"js": "text/javascript", "css": "text/css"}

# The editors are CodeMirror 5's: the instance hangs on its element.
RUN_BUTTON = "document.querySelector('.graphiql-container .graphiql-execute-button')"
RESPONSE_TEXT = "document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue()"

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="GraphiQL in a real browser needs Chromium, which is not installed "
    "(Debian: apt-get install chromium)",
)


async def page_of(client: TestClient) -> str:
    response = await client.get("/graphql", headers=BROWSER)
    return await response.text()


# Over HTTP


async def test_a_browser_get_of_graphql_answers_the_page_under_a_strict_policy(
    client: TestClient,
) -> None:
    response = await client.get("/graphql", headers=BROWSER)

    assert response.status == 200
    assert response.content_type == "text/html"
    policy = response.headers["Content-Security-Policy"].split("; ")
    assert "default-src 'self'" in policy
    assert not [rule for rule in policy if rule.startswith(("script-src", "style-src"))]
    assert "unsafe" not in response.headers["Content-Security-Policy"]


async def test_the_page_loads_only_the_servers_own_scripts_and_stylesheets(
    client: TestClient,
) -> None:
    page = await page_of(client)

    scripts, stylesheets = SCRIPTS.findall(page), STYLESHEETS.findall(page)
    assert len(scripts) == page.count("<script") == 5  # none inline
    assert len(stylesheets) == 3
    assert "<style" not in page
    assert all(url.startswith("/graphiql-assets/") for url in scripts + stylesheets)


async def test_each_file_of_the_page_is_served_to_be_kept_forever(client: TestClient) -> None:
    page = await page_of(client)

    for url in SCRIPTS.findall(page) + STYLESHEETS.findall(page):
        response = await client.get(url)

        assert response.status == 200, url
        assert response.content_type == CONTENT_TYPES[url.split("?")[0].rsplit(".")[-1]]
        assert response.headers["Cache-Control"] == CACHED_FOREVER
        assert re.search(r"\?v=[0-9a-f]{12}$", url), "the URL changes with the content"
        assert len(await response.read()) > 0


async def test_only_scripts_and_stylesheets_are_served_as_assets(client: TestClient) -> None:
    for path in ("VERSIONS", "graphiql-3.8.3/LICENSE", "graphiql-3.8.3/missing.js"):
        response = await client.get(f"/graphiql-assets/{path}")

        assert response.status == 404, path


# In a browser


@needs_chromium
async def test_in_a_browser_without_network_graphiql_runs_the_example_query(
    aiohttp_server: AiohttpServer,
    database: None,
    settings: Settings,
    owner: Person,
    company: Company,
) -> None:
    # given the server on a loopback port, and an issue anyone may see
    server = await aiohttp_server(create_app(settings, manage_database=False))
    category = await make_category(owner, company)
    await make_issue(owner, category, name="Server login issues", severity=Severity.CRITICAL)

    async with open_page(str(server.make_url("/graphql"))) as page:
        # when GraphiQL has drawn its editor and its run button is pressed
        await page.wait_for(f"!!{RUN_BUTTON}")
        await page.evaluate(f"{RUN_BUTTON}.click()")
        response = await page.wait_for(RESPONSE_TEXT)

    # then the response pane shows the issue and what it cost, and nothing was refused or
    # failed on the way
    assert json.loads(response) == {
        "data": {"issues": {"nodes": [{"name": "Server login issues", "severity": "CRITICAL"}]}},
        "extensions": {"cost": {"requested": 16, "actual": 4, "limit": 50_000}},
    }
    assert page.errors == []


QUERY_EDITOR = "document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror"
SUBSCRIPTION = "subscription ($id: ID!) { issueEvents(issueId: $id) { description } }"


@needs_chromium
async def test_in_a_browser_graphiql_runs_a_subscription_over_the_websocket(
    aiohttp_server: AiohttpServer,
    database: None,
    settings: Settings,
    owner: Person,
    company: Company,
) -> None:
    # given the server on a loopback port and a public issue
    server = await aiohttp_server(create_app(settings, manage_database=False))
    issue = await make_issue(owner, await make_category(owner, company))
    variables = json.dumps({"id": gid("Issue", issue)})

    async with open_page(str(server.make_url("/healthz"))) as page:
        # when a subscription to the issue's events is in the editor as GraphiQL opens (kept
        # from an earlier visit, so GraphiQL has read it before anything runs), and is run
        await page.evaluate(f"localStorage.setItem('graphiql:query', {json.dumps(SUBSCRIPTION)})")
        await page.evaluate(f"localStorage.setItem('graphiql:variables', {json.dumps(variables)})")
        await page.evaluate("location.href = '/graphql'")
        await page.wait_for(f"!!{RUN_BUTTON} && {QUERY_EDITOR}?.getValue().startsWith('subs')")
        page.errors.clear()  # the first page's, a JSON answer's missing /favicon.ico
        await page.evaluate(f"{RUN_BUTTON}.click()")
        await until_listening_in(server.app)

        # and a note is added to the issue
        await add_issue_event(owner.scope, issue.id, "Looking into it.")

        # then the response pane shows the note as it arrives, over the WebSocket
        assert server.app[GRAPHQL].sockets.held
        response = await page.wait_for(
            f"(({RESPONSE_TEXT}) || '').includes('Looking into it.') && {RESPONSE_TEXT}"
        )
    assert json.loads(response) == {"data": {"issueEvents": {"description": "Looking into it."}}}
    assert page.errors == []


async def until_listening_in(app: web.Application) -> None:
    """Until the page's subscription listens: a note added before would not be heard."""
    async with asyncio.timeout(20):
        while not app[GRAPHQL].sockets.hub.count:  # noqa: ASYNC110 (the server's state, looked at)
            await asyncio.sleep(0.05)


HEADERS_EDITOR = (
    "document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')"
    "?.CodeMirror"
)


@needs_chromium
async def test_in_a_browser_a_token_typed_in_graphiql_is_not_kept_by_the_browser(
    aiohttp_server: AiohttpServer, database: None, settings: Settings, owner: Person
) -> None:
    server = await aiohttp_server(create_app(settings, manage_database=False))
    viewer = "{ viewer { name } }"

    async with open_page(str(server.make_url("/graphql"))) as page:
        # when a token is typed in the headers pane and a query run with it
        await page.wait_for(f"!!{RUN_BUTTON} && !!{HEADERS_EDITOR} && !!{QUERY_EDITOR}")
        headers = json.dumps(json.dumps(owner.headers))
        await page.evaluate(f"{HEADERS_EDITOR}.setValue({headers})")
        await page.evaluate(f"{QUERY_EDITOR}.setValue({json.dumps(viewer)})")
        await page.evaluate(f"{RUN_BUTTON}.click()")
        response = await page.wait_for(
            f"(({RESPONSE_TEXT}) || '').includes('Olive') && {RESPONSE_TEXT}"
        )
        # and GraphiQL has stored what it keeps between visits (its tabs, with the query)
        tabs = "localStorage.getItem('graphiql:tabState') || ''"
        await page.wait_for(f"({tabs}).includes('viewer {{ name }}')")
        stored = await page.evaluate("JSON.stringify(Object.entries(localStorage))")

    # then the query ran as the token's owner, and the token is nowhere in the browser's storage
    assert json.loads(response)["data"] == {"viewer": {"name": "Olive Owner"}}
    assert owner.token
    assert owner.token not in stored
    assert page.errors == []
