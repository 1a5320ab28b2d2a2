"""What every ConnectNow route shares: the paginator and its links, tokens, and answers in JSON for
unknown routes, wrong methods, malformed bodies and out-of-range parameters (never a 500)."""

import pytest
from aiohttp.test_utils import TestClient
from yarl import URL

from issuetracker.models import Company, Severity

from ..support import Person, make_category, make_company, make_issue
from .helpers import ISSUES, PAGE_KEYS, UNAUTHENTICATED, call, follow, get, ids, names

LISTS = ["/api/issues", "/api/categories", "/api/companies", "/api/webhooks"]
FORGED = {"Authorization": "Bearer itk_this-token-was-never-issued"}


async def make_issues(owner: Person, company: Company, count: int) -> list[int]:
    """`count` issues, their ids newest first (the order of the list)."""
    category = await make_category(owner, company)
    return [(await make_issue(owner, category, name=f"Issue {n}")).id for n in range(count)][::-1]


# --- the paginator ------------------------------------------------------------------------------


async def test_fifteen_issues_a_page_by_default(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given sixteen issues
    newest_first = await make_issues(owner, company, 16)

    # when the first page is read
    reply = await get(client, ISSUES)

    # then it holds fifteen, and links to the next page
    assert reply.status == 200
    assert set(reply.body) == PAGE_KEYS
    assert ids(reply) == newest_first[:15]
    assert reply.body["current_page"] == 1
    assert reply.body["per_page"] == 15
    assert (reply.body["from"], reply.body["to"]) == (1, 15)
    assert reply.body["prev_page_url"] is None
    assert reply.body["next_page_url"] == reply.body["path"] + "?page=2"
    assert reply.body["first_page_url"] == reply.body["path"] + "?page=1"
    assert URL(reply.body["path"]).is_absolute()
    assert URL(reply.body["path"]).path == ISSUES


async def test_the_next_and_previous_links_work_when_followed(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given sixteen issues and the first page
    newest_first = await make_issues(owner, company, 16)
    first = await get(client, ISSUES)

    # when the next link is followed, and then that page's previous link
    second = await follow(client, first.body["next_page_url"])
    back = await follow(client, second.body["prev_page_url"])

    # then the second page holds the last issue, and the way back is the first page again
    assert second.status == 200
    assert ids(second) == newest_first[15:]
    assert second.body["current_page"] == 2
    assert (second.body["from"], second.body["to"]) == (16, 16)
    assert second.body["next_page_url"] is None
    assert back.body == first.body


async def test_page_and_per_page_choose_the_window(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given five issues
    newest_first = await make_issues(owner, company, 5)

    # when the second page of two is read
    reply = await get(client, ISSUES + "?page=2&per_page=2")

    # then it holds the third and fourth newest
    assert ids(reply) == newest_first[2:4]
    assert reply.body["current_page"] == 2
    assert reply.body["per_page"] == 2
    assert (reply.body["from"], reply.body["to"]) == (3, 4)
    assert reply.body["next_page_url"] is not None
    assert reply.body["prev_page_url"] is not None


async def test_links_keep_every_other_query_parameter(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given three critical issues in two categories, and an info one
    network = await make_category(owner, company)
    printers = await make_category(owner, company)
    for category in (network, printers, network):
        await make_issue(owner, category, severity=Severity.CRITICAL, description="Begun.")
    await make_issue(owner, network, severity=Severity.INFO)
    query = (
        f"?with[]=categories&with[]=events&category_ids[]={network.id}"
        f"&category_ids[]={printers.id}&severity=critical&per_page=1"
    )

    # when each page of the filtered, included list is followed to the end
    reply = await get(client, ISSUES + query)
    pages = [reply]
    while reply.body["next_page_url"]:
        reply = await follow(client, reply.body["next_page_url"])
        pages.append(reply)

    # then every page keeps the filters and includes: the three critical issues, one a page
    assert [page.body["current_page"] for page in pages] == [1, 2, 3]
    rows = [row for page in pages for row in page.body["data"]]
    assert [row["severity"] for row in rows] == ["critical"] * 3
    assert all(row["categories"] and row["events"] for row in rows)
    assert all(page.body["per_page"] == 1 for page in pages)
    back = await follow(client, pages[2].body["prev_page_url"])
    assert back.body == pages[1].body


@pytest.mark.parametrize("url", ["/api/categories", "/api/companies"])
async def test_other_lists_page_the_same_way(client: TestClient, owner: Person, url: str) -> None:
    # given two companies, each with a category
    for name in ("Alpha", "Beta"):
        await make_category(owner, await make_company(owner, name=name), name)

    # when the list is read one a page and its next link followed
    first = await get(client, url + "?per_page=1", as_=owner)
    second = await follow(client, first.body["next_page_url"], as_=owner)

    # then the two pages hold one each, oldest first
    assert names(first) == ["Alpha"]
    assert names(second) == ["Beta"]
    assert second.body["next_page_url"] is None
    assert first.body["path"].endswith(url)


async def test_webhooks_page_the_same_way(client: TestClient, member: Person) -> None:
    # given two webhooks
    for path in ("a", "b"):
        body = {"url": f"http://127.0.0.1:9/{path}"}
        await call(client, "POST", "/api/webhooks", as_=member, json=body)

    # when the list is read one a page and its next link followed
    first = await get(client, "/api/webhooks?per_page=1", as_=member)
    second = await follow(client, first.body["next_page_url"], as_=member)

    # then the two pages hold one each
    assert [row["url"] for row in first.body["data"]] == ["http://127.0.0.1:9/a"]
    assert [row["url"] for row in second.body["data"]] == ["http://127.0.0.1:9/b"]


async def test_a_page_past_the_end_is_empty(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given two issues
    await make_issues(owner, company, 2)

    # when page 3 of one a page is read
    reply = await get(client, ISSUES + "?page=3&per_page=1")

    # then it is empty, with null bounds, and links back
    assert reply.status == 200
    assert reply.body["data"] == []
    assert (reply.body["from"], reply.body["to"]) == (None, None)
    assert reply.body["next_page_url"] is None
    assert reply.body["prev_page_url"] is not None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?per_page=101", "per_page"),
        ("?per_page=0", "per_page"),
        ("?per_page=ten", "per_page"),
        ("?page=0", "page"),
        ("?page=-1", "page"),
        ("?page=two", "page"),
    ],
)
@pytest.mark.parametrize("url", LISTS)
async def test_bad_paging_parameters_are_refused(
    client: TestClient, member: Person, url: str, query: str, field: str
) -> None:
    # when a list is read with a page parameter out of its rules
    reply = await get(client, url + query, as_=member)

    # then it is a validation error on that parameter
    assert reply.status == 422
    assert list(reply.body["errors"]) == [field]


async def test_a_hundred_a_page_is_allowed(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given three issues
    await make_issues(owner, company, 3)

    # when the largest page is asked for
    reply = await get(client, ISSUES + "?per_page=100")

    # then it is served
    assert reply.status == 200
    assert reply.body["per_page"] == 100
    assert len(reply.body["data"]) == 3


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("?page=99999999999999999999", id="huge-page"),
        pytest.param("?per_page=99999999999999999999", id="huge-per-page"),
        pytest.param("?page=2147483648", id="page-past-32-bits"),
    ],
)
async def test_huge_paging_numbers_are_answered_not_crashed(
    client: TestClient, owner: Person, company: Company, query: str
) -> None:
    # given an issue
    await make_issues(owner, company, 1)

    # when a page number no database offset can hold is asked for
    reply = await get(client, ISSUES + query)

    # then the answer is an empty page or a validation error, never a server error
    assert reply.status in (200, 422), reply.body
    if reply.status == 200:
        assert reply.body["data"] == []


# --- tokens -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/issues", "/api/categories", "/api/companies"])
async def test_a_bad_token_is_refused_even_on_a_public_list(
    client: TestClient, company: Company, url: str
) -> None:
    # when a public list is read with a token that was never issued
    reply = await call(client, "GET", url, headers=FORGED)

    # then it is 401, not an anonymous read
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


async def test_a_bad_token_is_refused_on_a_public_show(
    client: TestClient, owner: Person, company: Company
) -> None:
    # given a public issue
    issue = await make_issue(owner, await make_category(owner, company))

    # when it is read with a token that was never issued
    reply = await call(client, "GET", f"{ISSUES}/{issue.id}", headers=FORGED)

    # then 401
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/api/issues"),
        ("PUT", "/api/issues/1"),
        ("DELETE", "/api/issues/1"),
        ("POST", "/api/issues/1/close"),
        ("POST", "/api/categories"),
        ("PUT", "/api/categories/1"),
        ("DELETE", "/api/categories/1"),
        ("POST", "/api/companies"),
        ("PUT", "/api/companies/1"),
        ("DELETE", "/api/companies/1"),
    ],
)
async def test_every_write_needs_a_token_before_anything_else(
    client: TestClient, owner: Person, company: Company, method: str, url: str
) -> None:
    # given an issue and a category with id 1
    await make_issue(owner, await make_category(owner, company))

    # when anonymous writes, with a body that is not even valid
    reply = await call(
        client, method, url, data=b"{oops", headers={"Content-Type": "application/json"}
    )

    # then 401 comes first, as Laravel's `auth` middleware answers before validation
    assert reply.status == 401
    assert reply.body == UNAUTHENTICATED


# --- unknown routes and wrong methods -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("PATCH", "/api/issues", {"GET", "POST"}),
        ("DELETE", "/api/issues", {"GET", "POST"}),
        ("PATCH", "/api/issues/1", {"GET", "PUT", "DELETE"}),
        ("GET", "/api/issues/1/close", {"POST"}),
        ("PUT", "/api/categories", {"GET", "POST"}),
        ("POST", "/api/companies/1", {"GET", "PUT", "DELETE"}),
        ("PATCH", "/api/webhooks/1", {"GET", "PUT", "DELETE"}),
    ],
)
async def test_a_wrong_method_on_a_known_url_is_405_in_json(
    client: TestClient, member: Person, method: str, url: str, allowed: set[str]
) -> None:
    # when a route is called with a method it does not have
    reply = await call(client, method, url, as_=member, json={})

    # then 405 with a JSON message and the methods it has
    assert reply.status == 405
    assert isinstance(reply.body["message"], str)
    assert set(reply.headers["Allow"].replace(" ", "").split(",")) >= allowed


@pytest.mark.parametrize(
    "url",
    [
        "/api/nothing-here",
        "/api/issues/abc",
        "/api/issues/0",
        "/api/issues/-1",
        "/api/issues/99999999999999999999",
        "/api/categories/1.5",
        "/api/companies/2147483648",
        "/api/issues/1/close/again",
    ],
)
async def test_unknown_urls_and_impossible_ids_are_404_in_json(
    client: TestClient, member: Person, url: str
) -> None:
    # when a URL names nothing that could exist
    reply = await call(client, "GET", url, as_=member)

    # then 404 in JSON
    assert reply.status == 404
    assert isinstance(reply.body["message"], str)


# --- request bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b'"text"', b"null", b"\xff\xfe{}"],
    ids=["broken", "array", "string", "null", "not-utf8"],
)
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/api/issues"),
        ("PUT", "/api/issues/{issue}"),
        ("POST", "/api/issues/{issue}/close"),
        ("POST", "/api/categories"),
        ("PUT", "/api/categories/{category}"),
        ("POST", "/api/companies"),
        ("PUT", "/api/companies/{company}"),
        ("POST", "/api/webhooks"),
    ],
)
async def test_a_malformed_json_body_is_400_in_json_and_changes_nothing(
    client: TestClient,
    owner: Person,
    member: Person,
    company: Company,
    method: str,
    url: str,
    raw: bytes,
) -> None:
    # given an issue in a category of the member's company
    category = await make_category(owner, company, "Kept")
    issue = await make_issue(owner, category, name="Kept")
    before = await get(client, f"{ISSUES}/{issue.id}?with=events,categories.company")

    # when the member sends a body that is not a JSON object
    target = url.format(issue=issue.id, category=category.id, company=company.id)
    headers = {"Content-Type": "application/json"}
    reply = await call(client, method, target, as_=member, data=raw, headers=headers)

    # then 400 with a JSON message, and nothing changed
    assert reply.status == 400
    assert isinstance(reply.body["message"], str)
    assert (await get(client, f"{ISSUES}/{issue.id}?with=events,categories.company")).body == (
        before.body
    )
    assert len((await get(client, ISSUES)).body["data"]) == 1
    assert len((await get(client, "/api/webhooks", as_=member)).body["data"]) == 0


async def test_validation_errors_have_laravels_shape(client: TestClient, member: Person) -> None:
    # when an issue is created with several invalid fields
    body = {"category_ids": [], "name": "", "description": "x", "severity": "urgent"}
    reply = await call(client, "POST", ISSUES, as_=member, json=body)

    # then `message` is a string and `errors` maps each field to a list of strings
    assert reply.status == 422
    assert set(reply.body) == {"message", "errors"}
    assert isinstance(reply.body["message"], str)
    assert reply.body["message"]
    assert set(reply.body["errors"]) >= {"category_ids", "name"}
    for field, messages in reply.body["errors"].items():
        assert isinstance(messages, list), field
        assert messages
        assert all(isinstance(message, str) and message for message in messages)
