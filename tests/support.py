"""Test helpers: people with real API tokens, factories that go through the real logic, and a
GraphQL client over HTTP."""

import itertools
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from issuetracker.clock import utcnow
from issuetracker.models import Category, Company, Issue, Membership, Role, Severity, User
from issuetracker.resolvers.accounts.narrowing import Narrowing
from issuetracker.resolvers.accounts.tokens import issue_token
from issuetracker.resolvers.accounts.users import create_verified_user
from issuetracker.resolvers.companies import categories, companies
from issuetracker.resolvers.companies.companies import CompanyChanges
from issuetracker.resolvers.core.actor import Actor
from issuetracker.resolvers.core.scope import Policy, Scope
from issuetracker.resolvers.issues import writes
from issuetracker.resolvers.issues.inputs import IssueDraft
from issuetracker.schema.relay import to_global_id
from issuetracker.settings import Settings

_numbers = itertools.count(1)
TEST_POLICY = Policy.from_settings(
    Settings(environment="test", password_hashing="cheapest", _env_file=None)
)


def scope_of(actor: Actor, settings: Settings | None = None) -> Scope:
    """A request's scope for a test that calls the logic directly: now, under the suite's
    settings (or `settings`)."""
    policy = TEST_POLICY if settings is None else Policy.from_settings(settings)
    return Scope(actor, utcnow(), policy)


def anonymous_scope() -> Scope:
    return scope_of(Actor())


@dataclass(frozen=True)
class Person:
    user: User | None
    token: str | None

    @property
    def actor(self) -> Actor:
        return Actor(self.user)

    @property
    def scope(self) -> Scope:
        return scope_of(self.actor)

    def scope_under(self, settings: Settings) -> Scope:
        return scope_of(self.actor, settings)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    @property
    def global_id(self) -> str:
        assert self.user is not None
        return to_global_id("User", self.user.id)

    def __hash__(self) -> int:
        return hash(self.token)


async def make_person(name: str, email: str | None = None) -> Person:
    address = email or f"{name.split()[0].lower()}{next(_numbers)}@example.com"
    user = await create_verified_user(anonymous_scope(), address, name, password=None)
    issued = await issue_token(anonymous_scope(), user, "tests", lifetime=None)
    return Person(user, issued.secret)


async def narrowed(
    person: Person, *, read_only: bool = False, companies: list[Company] | None = None
) -> Person:
    """The same user with another token, read-only or limited to `companies`."""
    assert person.user is not None
    limit = None if companies is None else [company.id for company in companies]
    narrowing = Narrowing(read_only=read_only, company_ids=limit)
    issued = await issue_token(anonymous_scope(), person.user, "narrowed", None, narrowing)
    return Person(person.user, issued.secret)


async def make_company(
    owner: Person,
    *,
    name: str | None = None,
    public: bool = True,
    members: dict[Person, Role] | None = None,
) -> Company:
    company = await companies.create_company(
        owner.scope, CompanyChanges(name=name or f"Company {next(_numbers)}", is_public=public)
    )
    for person, role in (members or {}).items():
        assert person.user is not None
        await Membership.create(user=person.user, company=company, role=role)
    return company


async def make_category(by: Person, company: Company, name: str | None = None) -> Category:
    return await categories.create_category(
        by.scope, company.id, name or f"Category {next(_numbers)}"
    )


async def make_issue(
    by: Person,
    *in_categories: Category,
    name: str | None = None,
    description: str = "It started.",
    severity: Severity = Severity.INFO,
    tags: list[str] | None = None,
) -> Issue:
    draft = IssueDraft(
        name=name or f"Issue {next(_numbers)}",
        description=description,
        severity=severity.value,
        category_ids=[category.id for category in in_categories],
        tags=tags,
    )
    return await writes.create_issue(by.scope, draft)


def gid(type_name: str, row: Any) -> str:
    return to_global_id(type_name, row.id)


class Api:
    """Speaks GraphQL to the app over HTTP, as any client would."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=as_.headers if as_ else {},
        )
        body = await response.json()
        body["status"] = response.status
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> dict[str, Any]:
        """The `data` of a query that must succeed."""
        body = await self.graphql(query, variables, as_=as_)
        assert "errors" not in body, body["errors"]
        return body["data"]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def only_error(body: dict) -> tuple[str, str]:
    """The code and message of the one top-level error of a refused request."""
    assert body["status"] == 200
    assert len(body["errors"]) == 1, body["errors"]
    return body["errors"][0]["extensions"]["code"], body["errors"][0]["message"]


def nothing_answered(body: dict[str, Any]) -> bool:
    """Nothing in the answer: every root field null (a nullable root field's refusal stays at
    its own path), or `data` itself null (a non-null root field's refusal bubbles up to it)."""
    data = body["data"]
    return data is None or all(value is None for value in data.values())
