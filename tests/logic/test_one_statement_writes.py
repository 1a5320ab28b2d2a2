"""The one-statement writes (on PostgreSQL) write exactly what the ORM's path writes: the same
timeline entries, live changes, outbox rows (followers by e-mail, their webhooks, the issue's
own webhook) and stamps, and refuse the same input with the same errors, changing nothing. On
SQLite both are the ORM's path, and the test holds all the same."""

from datetime import UTC, datetime
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issuetracker.models import (
    Company,
    Issue,
    IssueCategory,
    IssueParticipant,
    Subscription,
    Webhook,
)
from issuetracker.resolvers.core.errors import DomainError
from issuetracker.resolvers.issues import creating, notes
from issuetracker.resolvers.issues.inputs import IssueDraft
from issuetracker.resolvers.issues.writes import close_issue, create_issue_by_orm

from ..databases import TEST_DATABASE_URL
from ..support import Person, make_category, make_issue, make_person
from .write_rows import added_since, counters, marks

ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
NOON = datetime(2026, 1, 1, 12, tzinfo=UTC)


async def _followed_issue(owner: Person, company: Company) -> Issue:
    """An issue in two categories with every kind of follower: by category and by issue (one
    address both ways), unconfirmed, with active and inactive webhooks, and its own webhook."""
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    issue = await make_issue(owner, network, printers)
    fan = await make_person("Fan Follower")
    assert fan.user is not None
    assert owner.user is not None
    for category in (network, printers):
        await Subscription.create(email=fan.user.email, category=category, confirmed_at=NOON)
    await Subscription.create(email=fan.user.email, issue=issue, confirmed_at=NOON)
    await Subscription.create(email="quiet@example.com", category=network, confirmed_at=NOON)
    await Subscription.create(email="later@example.com", issue=issue)
    await Webhook.create(user=fan.user, url="https://Hooks.Example.COM.:8443/a?b", secret="s1")
    await Webhook.create(user=fan.user, url="https://off.example.com/", secret="s2", active=False)
    await Webhook.create(user=owner.user, url="https://owner.example.com/", secret="s3")
    issue.webhook_url = "https://user:pw@Issue.Example.org/hook#x"
    await issue.save(update_fields=["webhook_url"])
    return issue


async def _both_ways(person: Person, issue_id: int, description: Any) -> list[Any]:
    """What the one-statement path and the ORM's path each did, with one request time."""
    scope = person.scope
    outcomes = []
    for write in (notes.add_issue_event, notes.add_issue_event_by_orm):
        before, stamps = await marks(), await counters(issue_id)
        try:
            event = await write(scope, issue_id, description)
            answer: Any = (event.kind, event.description, event.author_id, event.issue_id)
        except DomainError as refused:
            answer = (type(refused).__name__, str(refused), getattr(refused, "errors", None))
        after = await counters(issue_id)
        bumped = [new - old for new, old in zip(after["versions"], stamps["versions"], strict=True)]
        outcomes.append((answer, await added_since(before), bumped, after["issue"]))
    return outcomes


async def test_a_note_writes_what_the_orm_writes(owner: Person, company: Company) -> None:
    issue = await _followed_issue(owner, company)
    fast, orm = await _both_ways(owner, issue.id, 'A "note" with \\ and % and ünïcode')
    assert fast == orm
    answer, rows, bumped, _ = fast
    assert answer[1] == 'A "note" with \\ and % and ünïcode'
    # fan (once) and quiet by e-mail, fan's active webhook, the issue's own
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
        ("outsider", "Hello", False),
        ("member", "", False),
        ("member", "x" * 70_000, False),
        ("owner", "Late", True),
        ("outsider", "", False),
    ],
)
async def test_a_refused_note_is_refused_alike_and_changes_nothing(
    owner: Person,
    member: Person,
    outsider: Person,
    company: Company,
    who: str,
    description: str,
    closed: bool,
) -> None:
    issue = await _followed_issue(owner, company)
    if closed:
        await close_issue(owner.scope, issue.id, "Done.")
    person = {"owner": owner, "member": member, "outsider": outsider}[who]
    fast, orm = await _both_ways(person, issue.id, description)
    assert fast == orm
    assert fast[0][0] in {"NotFound", "Forbidden", "IssueClosed", "ValidationFailed"}
    assert fast[1] == {"events": [], "live": [], "outbox": []}


async def test_unknown_issues_are_refused_alike(owner: Person) -> None:
    for issue_id in (0, -1, 2**31, 999_999):
        fast, orm = await _both_ways(owner, issue_id, "Hello")
        assert fast == orm
        assert fast[0][0] == "NotFound"


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(description=st.text(min_size=0, max_size=40))
async def test_generated_notes_write_what_the_orm_writes(
    owner: Person, company: Company, description: str
) -> None:
    issue = await make_issue(owner, await make_category(owner, company))
    fast, orm = await _both_ways(owner, issue.id, description)
    assert fast == orm


async def test_an_issue_created_writes_what_the_orm_writes(
    owner: Person, member: Person, company: Company
) -> None:
    # given two categories with followers, one of whom has a webhook
    followed = await _followed_issue(owner, company)
    linked = IssueCategory.filter(issue_id=followed.id).values_list("category_id", flat=True)
    categories = sorted(cast(list[int], await linked))
    draft = IssueDraft(
        name="Router down", description="Since noon.", severity="critical", category_ids=categories
    )
    scope = member.scope
    assert member.user is not None

    # when the member creates the same issue both ways
    outcomes = []
    for one_statement in (True, False):
        before = await marks()
        issue = None
        if one_statement:
            issue = await creating.create_in_one_statement(scope, draft, member.user)
            assert (issue is not None) == ON_POSTGRES
        issue = issue or await create_issue_by_orm(scope, draft)
        links = await IssueCategory.filter(issue_id=issue.id).values_list("category_id")
        people = await IssueParticipant.filter(issue_id=issue.id).values_list("user_id")
        outcomes.append((await added_since(before), sorted(links), sorted(people)))

    # then both wrote the same rows: the followers of the categories hear it
    assert outcomes[0] == outcomes[1]
    assert [row["kind"] for row in outcomes[0][0]["outbox"]] == ["email", "email", "webhook"]


async def test_a_creation_the_statement_refuses_writes_nothing(
    outsider: Person, owner: Person, company: Company
) -> None:
    category = await make_category(owner, company)
    draft = IssueDraft(name="Mine now", category_ids=[category.id])
    assert outsider.user is not None
    before = await marks()
    assert await creating.create_in_one_statement(outsider.scope, draft, outsider.user) is None
    assert await added_since(before) == {"events": [], "live": [], "outbox": []}
