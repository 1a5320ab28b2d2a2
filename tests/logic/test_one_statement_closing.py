"""Closing an issue by one statement (on PostgreSQL) writes exactly what the ORM's path writes:
the issue's new state, the closing note, the live change, the outbox rows (followers of its
categories and of the issue by e-mail, their webhooks, the issue's own) and the stamps, answers
the issue as it is now stored, and refuses the same input with the same errors, changing
nothing. On SQLite both are the ORM's path, and the test holds all the same."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issuetracker.models import PART_TIMES, Company, Issue, IssueCategory, Subscription
from issuetracker.resolvers.core.errors import DomainError
from issuetracker.resolvers.core.scope import Scope
from issuetracker.resolvers.issues.closing import close_issue, close_issue_by_orm

from ..support import Person, make_category, make_issue
from .test_one_statement_writes import _followed_issue
from .write_rows import added_since, counters, marks

SAME_IN_BOTH = {"id", "guid", "hash_key", "webhook_secret", "created_at", "updated_at"}
"""What differs between two issues made alike (the written times are the wall clock's)."""


def _fields(issue: Issue) -> dict[str, Any]:
    return {name: getattr(issue, name) for name in Issue._meta.fields_db_projection}


async def _twin(owner: Person, issue: Issue) -> Issue:
    """A second issue made as `issue` was: same categories, followers, own webhook."""
    linked = await IssueCategory.filter(issue_id=issue.id).prefetch_related("category")
    twin = await make_issue(
        owner, *(link.category for link in linked), name=issue.name, description=issue.description
    )
    for subscription in await Subscription.filter(issue_id=issue.id).order_by("id"):
        await Subscription.create(
            email=subscription.email, issue=twin, confirmed_at=subscription.confirmed_at
        )
    twin.webhook_url = issue.webhook_url
    for name in PART_TIMES:
        setattr(twin, name, getattr(issue, name))
    await twin.save(update_fields=["webhook_url", *PART_TIMES])
    return twin


async def _closed(write: Any, scope: Scope, issue_id: int, description: Any) -> Any:
    """What closing did: the answer, the rows added, the stamps bumped, the issue after."""
    before, stamps = await marks(), await counters(issue_id)
    before["issues"] = min(before["issues"], issue_id - 1)  # the issue's ids show as "new"
    try:
        issue = await write(scope, issue_id, description)
        stored = await Issue.get(id=issue.id)
        assert _fields(issue) == _fields(stored)
        answer: Any = {k: v for k, v in _fields(issue).items() if k not in SAME_IN_BOTH}
    except DomainError as refused:
        answer = (type(refused).__name__, str(refused), getattr(refused, "errors", None))
    after = await counters(issue_id)
    bumped = [new - old for new, old in zip(after["versions"], stamps["versions"], strict=True)]
    state = {k: v for k, v in after["issue"].items() if k not in SAME_IN_BOTH}
    return answer, await _subscriptions_named(await added_since(before)), bumped, state


async def _subscriptions_named(rows: dict[str, Any]) -> dict[str, Any]:
    """A follower of the issue itself is named so, not by the id of their subscription (the
    twins' differ)."""
    for row in rows["outbox"]:
        payload = row["payload"]
        if "subscription_id" in payload:
            follows = await Subscription.get(id=payload["subscription_id"])
            if follows.issue_id is not None:
                payload["subscription_id"] = "<to the issue>"
    return rows


async def test_closing_writes_what_the_orm_writes(owner: Person, company: Company) -> None:
    # given two issues made alike, each followed in every way
    issue = await _followed_issue(owner, company)
    twin = await _twin(owner, issue)

    # when one is closed by the one statement, the other by the ORM
    scope = owner.scope
    fast = await _closed(close_issue, scope, issue.id, 'Fixed: "cable" \\ 100% ünïcode')
    orm = await _closed(close_issue_by_orm, scope, twin.id, 'Fixed: "cable" \\ 100% ünïcode')

    # then both wrote and answered the same
    assert fast == orm
    answer, rows, bumped, _ = fast
    assert (answer["status"].value, answer["conclusion"]) == (
        "closed",
        rows["events"][0]["description"],
    )
    assert [row["kind"] for row in rows["live"]] == ["closed"]
    assert [(row["kind"], row["destination_host"]) for row in rows["outbox"]] == [
        ("email", ""),
        ("email", ""),
        ("webhook", "hooks.example.com"),
        ("webhook", "issue.example.org"),
    ]
    assert sorted(bumped) == [0] * (len(bumped) - 1) + [1]


@pytest.mark.parametrize(
    ("who", "description", "closed"),
    [
        ("outsider", "Done", False),
        ("owner", "", False),
        ("owner", "   ", False),
        ("owner", None, False),
        ("owner", "x" * 70_000, False),
        ("owner", "Again", True),
        ("outsider", "", False),
    ],
)
async def test_a_refused_closing_is_refused_alike_and_changes_nothing(
    owner: Person, outsider: Person, company: Company, who: str, description: Any, closed: bool
) -> None:
    issue = await _followed_issue(owner, company)
    if closed:
        await close_issue_by_orm(owner.scope, issue.id, "Done.")
    scope = {"owner": owner, "outsider": outsider}[who].scope
    fast = await _closed(close_issue, scope, issue.id, description)
    orm = await _closed(close_issue_by_orm, scope, issue.id, description)
    assert fast == orm
    assert fast[0][0] in {"NotFound", "Forbidden", "IssueClosed", "ValidationFailed"}
    assert fast[1] == {"events": [], "live": [], "outbox": []}


async def test_unknown_issues_are_refused_alike(owner: Person) -> None:
    for issue_id in (0, -1, 2**31, 999_999):
        fast = await _closed(close_issue, owner.scope, issue_id, "Done")
        orm = await _closed(close_issue_by_orm, owner.scope, issue_id, "Done")
        assert fast == orm
        assert fast[0][0] == "NotFound"


@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(description=st.text(min_size=0, max_size=40))
async def test_generated_conclusions_write_what_the_orm_writes(
    owner: Person, company: Company, description: str
) -> None:
    category = await make_category(owner, company)
    issue = await make_issue(owner, category, name="Twin")
    twin = await make_issue(owner, category, name="Twin")
    for name in PART_TIMES:
        setattr(twin, name, getattr(issue, name))
    await twin.save(update_fields=list(PART_TIMES))
    scope = owner.scope
    fast = await _closed(close_issue, scope, issue.id, description)
    orm = await _closed(close_issue_by_orm, scope, twin.id, description)
    assert fast == orm
