"""Browser frontends on another origin: the request headers GraphQL clients send are allowed
(and configurable), `X-Request-Id` is readable, every answer varies by `Origin`, files under
/uploads/ get CORS too, and a signed download URL (`IssueUpload.downloadUrl`, for those who may
see the issue) fetches a file without a token (as an `<img>` does) for a short while, from a
directory or an S3 bucket alike."""

import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.app_storage import upload_store
from issuetracker.clock import utcnow
from issuetracker.models import Company, Upload
from issuetracker.resolvers.issues.download_links import signed_download_url
from issuetracker.resolvers.issues.uploads import ReceivedFile, add_upload
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..databases import TEST_DATABASE_URL
from ..notifications.conftest import Clock
from ..storages import Storage
from ..support import Api, Person, error_codes, gid, make_category, make_issue

ALLOWED_ORIGIN = "https://app.example.com"
FOREIGN_ORIGIN = "https://evil.example.net"
APOLLO_HEADERS = (
    "authorization, content-type, apollo-require-preflight, x-apollo-operation-name, "
    "x-request-id, traceparent, tracestate, baggage"
)
PICTURE = b"\x89PNG\r\n\x1a\n a picture"
UPLOAD_LINKS = "query ($id: ID!) { node(id: $id) { ... on IssueUpload { url downloadUrl } } }"


@pytest.fixture
def settings(storage: Storage) -> Settings:
    return Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        public_url="http://testserver",
        cors_origins=[ALLOWED_ORIGIN],
        upload_link_minutes=15,
        _env_file=None,
        **storage.settings,
    )


def preflight(origin: str, method: str = "POST", headers: str = APOLLO_HEADERS) -> dict:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }


def listed(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split(",")}


async def make_upload(client: TestClient, owner: Person, company: Company) -> Upload:
    """A file stored by the app's own storage."""
    issue = await make_issue(owner, await make_category(owner, company))
    received = ReceivedFile("cat.png", "image/png", io.BytesIO(PICTURE))
    return await add_upload(owner.scope, issue.id, received, upload_store(client.app))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


# Allowed request headers


async def test_a_preflight_allows_the_headers_graphql_clients_send(client: TestClient) -> None:
    response = await client.options("/graphql", headers=preflight(ALLOWED_ORIGIN))

    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert listed(APOLLO_HEADERS) <= listed(response.headers["Access-Control-Allow-Headers"])


async def test_the_allowed_request_headers_come_from_the_settings(
    aiohttp_client: AiohttpClient, database: None, settings: Settings
) -> None:
    custom = settings.model_copy(update={"cors_allow_headers": ["Authorization", "X-Tenant"]})
    client = await aiohttp_client(create_app(custom, manage_database=False))

    response = await client.options("/api/issues", headers=preflight(ALLOWED_ORIGIN))

    assert listed(response.headers["Access-Control-Allow-Headers"]) == {
        "authorization",
        "x-tenant",
    }


# Exposed headers and Vary


async def test_the_request_id_is_exposed_to_the_allowed_origin(client: TestClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers={"Origin": ALLOWED_ORIGIN}
    )

    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "x-request-id" in listed(response.headers["Access-Control-Expose-Headers"])
    assert response.headers["X-Request-Id"]


@pytest.mark.parametrize("origin", [ALLOWED_ORIGIN, FOREIGN_ORIGIN, None])
async def test_every_answer_varies_by_origin(client: TestClient, origin: str | None) -> None:
    headers = {"Origin": origin} if origin else {}
    answers = [
        await client.post("/graphql", json={"query": "{ viewer { name } }"}, headers=headers),
        await client.get("/api/issues", headers=headers),
        await client.get("/healthz", headers=headers),
    ]

    for response in answers:
        assert "origin" in listed(",".join(response.headers.getall("Vary"))), response.url


# Files


async def test_files_answer_cors_preflights_and_requests_from_the_allowed_origin(
    client: TestClient, settings: Settings, owner: Person, company: Company
) -> None:
    upload = await make_upload(client, owner, company)
    path = f"/uploads/{upload.guid}"

    asked = await client.options(path, headers=preflight(ALLOWED_ORIGIN, "GET", "authorization"))
    got = await client.get(path, headers={"Origin": ALLOWED_ORIGIN, **owner.headers})

    assert asked.status == 204
    assert asked.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert got.status == 200
    assert got.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert await got.read() == PICTURE


async def test_a_signed_download_url_needs_no_token(
    client: TestClient, settings: Settings, owner: Person, private_company: Company
) -> None:
    # given a signed URL made for someone who may see the (private) issue
    upload = await make_upload(client, owner, private_company)
    url = signed_download_url(settings, upload.guid, utcnow())

    # when a browser fetches it with no Authorization header (an <img src>)
    response = await client.get(path_of(url))

    # then it gets the file, cacheable no longer than the link works; without the signature,
    # the same request finds nothing
    assert url.startswith(f"http://testserver/uploads/{upload.guid}?expires=")
    assert response.status == 200
    assert await response.read() == PICTURE
    assert response.headers["Content-Type"] == "image/png"
    max_age = int(response.headers["Cache-Control"].rpartition("max-age=")[2])
    assert 15 * 60 <= max_age <= 30 * 60
    assert (await client.get(f"/uploads/{upload.guid}")).status == 404


async def test_a_download_url_stays_the_same_for_a_while(
    client: TestClient, settings: Settings, owner: Person, company: Company
) -> None:
    upload = await make_upload(client, owner, company)
    now = utcnow().replace(minute=1, second=0)

    assert signed_download_url(settings, upload.guid, now) == signed_download_url(
        settings, upload.guid, now + timedelta(minutes=10)
    )


async def test_an_expired_or_altered_download_url_is_refused(
    client: TestClient, settings: Settings, owner: Person, private_company: Company
) -> None:
    upload = await make_upload(client, owner, private_company)
    expired = signed_download_url(settings, upload.guid, utcnow() - timedelta(minutes=31))
    valid = signed_download_url(settings, upload.guid, utcnow())
    altered = valid[:-4] + ("0000" if not valid.endswith("0000") else "1111")
    other_file = valid.replace(str(upload.guid), "00000000-0000-4000-8000-000000000000")

    for url in (expired, altered, other_file):
        response = await client.get(path_of(url))
        assert response.status == 403, url
        assert (await response.json())["code"] == "FORBIDDEN"


async def test_the_download_url_handed_out_works_without_a_token_until_it_expires(
    aiohttp_client: AiohttpClient,
    settings: Settings,
    owner: Person,
    outsider: Person,
    private_company: Company,
) -> None:
    # given a server whose clock the test moves, and a file of a private issue
    clock = Clock()
    client = await aiohttp_client(create_app(settings, manage_database=False, clock=clock))
    api = Api(client)
    upload = await make_upload(client, owner, private_company)
    variables = {"id": gid("IssueUpload", upload)}

    # when someone who may see the issue asks for the file's links, and someone who may not
    links = (await api.data(UPLOAD_LINKS, variables, as_=owner))["node"]
    hidden = await api.graphql(UPLOAD_LINKS, variables, as_=outsider)

    # then a browser with no token gets the file by the download URL for UPLOAD_LINK_MINUTES
    at_once = await client.get(path_of(links["downloadUrl"]))
    clock.advance(minutes=settings.upload_link_minutes, seconds=-1)
    late = await client.get(path_of(links["downloadUrl"]))
    assert (at_once.status, await at_once.read()) == (200, PICTURE)
    assert (late.status, await late.read()) == (200, PICTURE)
    # and no longer once twice that has passed, while the plain url still needs a token
    clock.advance(minutes=settings.upload_link_minutes, seconds=2)
    expired = await client.get(path_of(links["downloadUrl"]))
    assert expired.status == 403
    assert (await expired.json())["message"] == (
        "The download link has expired; ask for the file again."
    )
    assert links["url"] == f"http://testserver/uploads/{upload.guid}"
    assert (await client.get(urlsplit(links["url"]).path)).status == 404
    assert (await client.get(urlsplit(links["url"]).path, headers=owner.headers)).status == 200
    assert hidden["data"] == {"node": None}
    assert error_codes(hidden) == ["NOT_FOUND"]
