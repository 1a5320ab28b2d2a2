"""Reading status pages and feeds over HTTP."""

from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Issue

from .html import Element, parse_html

PRIVATE_WORDS = ["Merger leak", "Boardroom", "Hush", "Toner smell", "Private Ltd", "@example.com"]
"""What the world's private company, private issue and deleted issue are named with, and the
addresses of its people: never on a public page or feed."""


@dataclass
class Fetched:
    status: int
    headers: Any
    text: str

    @property
    def lasting_headers(self) -> dict[str, str]:
        """Its headers but those that differ from one answer to the next."""
        changing = {"date", "x-request-id"}
        return {k.lower(): v for k, v in self.headers.items() if k.lower() not in changing}

    @property
    def page(self) -> Element:
        return parse_html(self.text)


async def fetch(client: TestClient, path: str, **headers: str) -> Fetched:
    response = await client.get(path, headers=headers, allow_redirects=False)
    return Fetched(response.status, response.headers, await response.text())


def page_path(company: Company, rest: str = "") -> str:
    return f"/status/{company.slug}{rest}"


def issue_path(company: Company, issue: Issue, rest: str = "") -> str:
    return page_path(company, f"/issues/{issue.id}{rest}")


def issue_names(element: Element) -> list[str]:
    """The issues listed, by name, in order."""
    return [link.text for link in element.all("a", class_="issue-name")]


def section(page: Element, heading: str) -> Element:
    """The section whose heading reads `heading`."""
    for candidate in page.all("section"):
        headings = [h for h in candidate.all() if h.tag in {"h2", "h3"}]
        if headings and headings[0].text == heading:
            return candidate
    raise AssertionError(f"no section headed {heading!r}")


def facts(page: Element) -> dict[str, str]:
    """The page's list of facts (`<dl>`): each term's description."""
    return {pair.one("dt").text: pair.one("dd").text for pair in page.one("dl").all("div")}


def shows_nothing_private(text: str) -> bool:
    return not [word for word in PRIVATE_WORDS if word in text]
