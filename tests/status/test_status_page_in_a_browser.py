"""The status page in a real headless Chromium that reaches no host but the test's own: it
shows with no console error and no Content-Security-Policy violation (its logo comes from
another loopback server), fits a phone's screen, and axe-core (vendored in tests/vendor, given
to the page through the DevTools protocol, since the page's policy runs no script) finds no
serious or critical accessibility problem."""

import json
from pathlib import Path

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from issuetracker.resolvers.companies import companies
from issuetracker.resolvers.companies.companies import CompanyChanges
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..chromium import CHROMIUM, Page, open_page
from ..support import Person
from .conftest import StatusWorld
from .helpers import issue_path, page_path

AXE = Path(__file__).parent.parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<rect width="40" height="40" rx="8" fill="#1d4ed8"/></svg>'
)
PHONE = {"width": 375, "height": 740, "deviceScaleFactor": 2, "mobile": True}
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


async def _logo_server(aiohttp_server: AiohttpServer) -> str:
    async def logo(request: web.Request) -> web.Response:
        return web.Response(text=LOGO, content_type="image/svg+xml")

    app = web.Application()
    app.router.add_get("/logo.svg", logo)
    return str((await aiohttp_server(app)).make_url("/logo.svg"))


async def _serious_accessibility_problems(page: Page) -> list[dict[str, object]]:
    await page.evaluate(AXE.read_text())
    found = await page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify("
        "r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))))"
    )
    return list(json.loads(found))


async def _shown(page: Page) -> None:
    await page.wait_for("document.readyState === 'complete' && !!document.querySelector('h1')")


@needs_chromium
@pytest.mark.parametrize("which", ["company", "issue"])
async def test_the_status_page_in_a_browser_has_no_errors_and_no_serious_accessibility_issue(
    aiohttp_server: AiohttpServer,
    settings: Settings,
    world: StatusWorld,
    owner: Person,
    which: str,
) -> None:
    # given the company with a logo kept on another (loopback) server
    logo_url = await _logo_server(aiohttp_server)
    await companies.update_company(owner.scope, world.company.id, CompanyChanges(logo_url=logo_url))
    server = await aiohttp_server(create_app(settings, manage_database=False))
    path = (
        page_path(world.company) if which == "company" else issue_path(world.company, world.outage)
    )

    async with open_page(str(server.make_url(path))) as page:
        await _shown(page)
        logo_loaded = await page.evaluate(
            "[...document.images].every(image => image.complete && image.naturalWidth > 0)"
        )
        problems = await _serious_accessibility_problems(page)

    assert logo_loaded
    assert page.errors == []
    assert problems == []


@needs_chromium
async def test_the_status_page_fits_a_phones_screen(
    aiohttp_server: AiohttpServer, settings: Settings, world: StatusWorld
) -> None:
    server = await aiohttp_server(create_app(settings, manage_database=False))

    async with open_page("about:blank") as page:
        await page.send("Emulation.setDeviceMetricsOverride", **PHONE)
        await page.send("Page.navigate", url=str(server.make_url(page_path(world.company))))
        await _shown(page)
        widths = await page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        font_size = await page.evaluate("getComputedStyle(document.body).fontSize")

    scroll_width, screen_width = widths
    assert scroll_width <= screen_width == PHONE["width"]
    assert font_size == "16px"
    assert page.errors == []
