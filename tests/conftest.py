"""Fixtures: an empty database per test, the real app over HTTP, and people in every role.

Set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/issuetracker_test_{}) to run
the suite on PostgreSQL; `{}` is replaced by a random name, the database created once for the
run, emptied before each test and dropped at the end (see `databases.TestDatabase`).
"""

from collections.abc import AsyncIterator, Iterator

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker import encryption
from issuetracker.encryption import Keyring
from issuetracker.models import Company, Role
from issuetracker.server import create_app
from issuetracker.setting_types import DEVELOPMENT_SECRET_KEY
from issuetracker.settings import Settings

from .databases import TEST_DATABASE_URL, TestDatabase
from .storages import bucket, s3_endpoint, storage  # noqa: F401 (fixtures)
from .support import Api, Person, make_company, make_person

LONG_RUNNING = ("tests/server/", "tests/graphql/test_compiled_reads.py")
"""Tests that start processes of their own or compare whole corpora: seconds each."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first (in their order), so that the workers share them out while there
    is other work left, rather than one worker running the last of them alone."""
    items.sort(key=lambda item: not _long_running(item))


def _long_running(item: pytest.Item) -> bool:
    path = item.path.as_posix()
    return item.get_closest_marker("fuzz") is not None or any(
        f"/{part}" in path for part in LONG_RUNNING
    )


@pytest.fixture(scope="session")
def test_database() -> Iterator[TestDatabase]:
    made = TestDatabase.made(TEST_DATABASE_URL)
    yield made
    made.drop()


@pytest.fixture(autouse=True)
def encryption_keys() -> None:
    """The keys `settings` makes, for tests that open a database without the app."""
    encryption.install(Keyring.of([], DEVELOPMENT_SECRET_KEY))


@pytest.fixture
async def database(test_database: TestDatabase) -> AsyncIterator[None]:
    async with test_database.context():
        yield


@pytest.fixture
def settings() -> Settings:
    return Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        public_url="http://testserver",
        webhook_allowed_hosts=["127.0.0.1:9", "localhost:9"],
        cors_origins=["https://app.example.com"],
        # Answers then carry no budget left, which would differ between requests: the
        # budget's own tests turn it on.
        graphql_hourly_budget=0,
        # Hashes no one will attack: the profile's own tests use the default.
        password_hashing="cheapest",
        _env_file=None,
    )


@pytest.fixture
async def client(aiohttp_client: AiohttpClient, database: None, settings: Settings) -> TestClient:
    return await aiohttp_client(create_app(settings, manage_database=False))


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
async def owner(database: None) -> Person:
    return await make_person("Olive Owner")


@pytest.fixture
async def admin(database: None) -> Person:
    return await make_person("Adam Admin")


@pytest.fixture
async def member(database: None) -> Person:
    return await make_person("Mia Member")


@pytest.fixture
async def outsider(database: None) -> Person:
    return await make_person("Otto Outsider")


@pytest.fixture
def anonymous() -> Person:
    return Person(user=None, token=None)


@pytest.fixture
async def company(owner: Person, admin: Person, member: Person) -> Company:
    """A public company: `owner` owns it, `admin` administers it, `member` is a member."""
    return await make_company(owner, members={admin: Role.ADMIN, member: Role.MEMBER})


@pytest.fixture
async def private_company(owner: Person, admin: Person, member: Person) -> Company:
    return await make_company(
        owner, name="Private Ltd", public=False, members={admin: Role.ADMIN, member: Role.MEMBER}
    )
