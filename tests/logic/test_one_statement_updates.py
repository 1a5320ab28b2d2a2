"""Changing an issue by one statement (on PostgreSQL) writes exactly what the ORM's path writes:
the issue's new state (search text included), its timeline entries, category and tag links,
participants, live change, outbox rows and stamps; it answers the issue as stored, and refuses
what the ORM's path refuses, writing nothing (the ORM's path then says why). On SQLite both are
the ORM's path, and the test holds all the same."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issuetracker.models import (
    PART_TIMES,
    Company,
    Issue,
    IssueCategory,
    IssueParticipant,
    IssueStatus,
    Role,
)
from issuetracker.resolvers.core.errors import DomainError
from issuetracker.resolvers.core.ids import is_row_id
from issuetracker.resolvers.core.scope import Scope
from issuetracker.resolvers.issues import updating
from issuetracker.resolvers.issues.inputs import IssueChanges
from issuetracker.resolvers.issues.writes import (
    close_issue,
    update_issue,
    update_issue_by_orm,
)

from ..databases import TEST_DATABASE_URL
from ..support import Person, make_category, make_company, make_issue
from .test_one_statement_closing import SAME_IN_BOTH, _fields, _subscriptions_named, _twin
from .test_one_statement_writes import _followed_issue
from .write_rows import added_since, counters, marks

ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")


async def _links(issue_id: int) -> dict[str, Any]:
    if not is_row_id(issue_id):
        return {}
    categories = IssueCategory.filter(issue_id=issue_id).values_list("category_id", flat=True)
    people = IssueParticipant.filter(issue_id=issue_id).values_list("user_id", flat=True)
    tags = Issue.filter(id=issue_id).values_list("tag_links__tag__name", flat=True)
    return {
        "categories": sorted(await categories),
        "participants": sorted(await people),
        "tags": sorted(tag for tag in await tags if tag is not None),
    }


async def _updated(write: Any, scope: Scope, issue_id: int, changes: IssueChanges) -> Any:
    """What the change did: the answer, the rows added, the companies bumped, the issue and its
    links after."""
    before, stamps = await marks(), await counters(issue_id)
    before["issues"] = min(before["issues"], issue_id - 1)
    try:
        issue = await write(scope, issue_id, changes)
        assert _fields(issue) == _fields(await Issue.get(id=issue.id))
        answer: Any = {k: v for k, v in _fields(issue).items() if k not in SAME_IN_BOTH}
    except DomainError as refused:
        answer = (type(refused).__name__, str(refused), getattr(refused, "errors", None))
    after = await counters(issue_id)
    # A write's stamps are settled once per company after its commit (the ORM's path bumps a
    # company it leaves and stays in twice, in the transaction): which companies, not how often.
    bumped = [new > old for new, old in zip(after["versions"], stamps["versions"], strict=True)]
    state = {k: v for k, v in after["issue"].items() if k not in SAME_IN_BOTH}
    rows = await _subscriptions_named(await added_since(before))
    return answer, rows, bumped, state, await _links(issue_id)


async def _both(
    owner: Person, person: Person, issue: Issue, changes: IssueChanges
) -> tuple[Any, Any]:
    """The change made to `issue` by the one statement, and to its twin by the ORM."""
    twin = await _twin(owner, issue)
    scope = person.scope
    fast = await _updated(update_issue, scope, issue.id, changes)
    orm = await _updated(update_issue_by_orm, scope, twin.id, changes)
    return fast, orm


async def _tagged(owner: Person, company: Company) -> Issue:
    issue = await _followed_issue(owner, company)
    await update_issue_by_orm(owner.scope, issue.id, IssueChanges(tags=["Printer", "floor-2"]))
    return issue


async def _twin_tagged(owner: Person, issue: Issue) -> Issue:
    twin = await _twin(owner, issue)
    await update_issue_by_orm(owner.scope, twin.id, IssueChanges(tags=["Printer", "floor-2"]))
    for name in PART_TIMES:
        setattr(twin, name, getattr(await Issue.get(id=issue.id), name))
    await twin.save(update_fields=list(PART_TIMES))
    return twin


CHANGES = {
    "fields": IssueChanges(
        name="Router  down ", description="Since noon, Café ünïcode 100%", severity="critical"
    ),
    "name only": IssueChanges(name="Printer jam"),
    "severity only": IssueChanges(severity="important", external_reference_id=" REF-1 "),
    "tags": IssueChanges(tags=["Network", "printer", "network", " "]),
    "no tags": IssueChanges(tags=[], description="Cleared."),
    "webhook removed": IssueChanges(webhook_url=" "),
    "closing": IssueChanges(description="Fixed it.", closing=True, conclusion="Cable swapped."),
    "closing silently": IssueChanges(closing=True),
}


@pytest.mark.parametrize("case", list(CHANGES))
async def test_a_change_writes_what_the_orm_writes(
    owner: Person, member: Person, company: Company, case: str
) -> None:
    # given two tagged issues made alike, each followed in every way
    issue = await _tagged(owner, company)
    twin = await _twin_tagged(owner, issue)
    changes = CHANGES[case]

    # when a member changes one by the one statement, the other by the ORM
    scope = member.scope
    fast = await _updated(update_issue, scope, issue.id, changes)
    orm = await _updated(update_issue_by_orm, scope, twin.id, changes)

    # then both wrote and answered the same, and the followers heard it
    assert fast == orm
    assert not isinstance(fast[0], tuple), fast[0]
    assert len(fast[1]["outbox"]) == (3 if case == "webhook removed" else 4)
    closing = changes.closing
    assert fast[0]["status"] == (IssueStatus.CLOSED if closing else IssueStatus.OPEN)
    if ON_POSTGRES:  # the one statement made it: it writes nothing when it cannot
        again = await updating.update_in_one_statement(member.scope, issue.id, IssueChanges())
        assert (again is None) == closing


async def test_moving_categories_and_owner_writes_what_the_orm_writes(
    owner: Person, member: Person, admin: Person, company: Company
) -> None:
    # given an issue in two categories, and a category of another company the member is in
    other = await make_company(owner, name="Other Ltd", members={member: Role.MEMBER})
    elsewhere = await make_category(owner, other, "Elsewhere")
    issue = await _followed_issue(owner, company)
    kept = await IssueCategory.filter(issue_id=issue.id).order_by("category_id").first()
    assert kept is not None
    assert admin.user is not None
    changes = IssueChanges(category_ids=[elsewhere.id, kept.category_id], owner_id=admin.user.id)

    # when a member moves it and hands it to the admin, both ways
    fast, orm = await _both(owner, member, issue, changes)

    # then both left it in the same categories, with the admin taking part, and the same
    # companies' pages renew
    assert fast == orm
    assert fast[4]["categories"] == sorted([elsewhere.id, kept.category_id])
    assert admin.user.id in fast[4]["participants"]
    assert fast[2].count(True) == 2


@pytest.mark.parametrize(
    "case",
    [
        "outsider",
        "closed",
        "hidden category",
        "not a member",
        "unknown owner",
        "blank name",
        "bad severity",
        "long conclusion",
        "unsafe webhook",
    ],
)
async def test_a_refused_change_is_refused_alike_and_changes_nothing(
    owner: Person,
    member: Person,
    outsider: Person,
    company: Company,
    private_company: Company,
    case: str,
) -> None:
    issue = await _followed_issue(owner, company)
    person, changes = member, IssueChanges(name="Changed")
    if case == "outsider":
        person = outsider
    elif case == "closed":
        await close_issue(owner.scope, issue.id, "Done.")
    elif case == "hidden category":
        hidden = await make_company(owner, name="Hidden", public=False)
        person, changes = (
            member,
            IssueChanges(category_ids=[(await make_category(owner, hidden)).id]),
        )
    elif case == "not a member":
        theirs = await make_company(outsider, name="Theirs")
        changes = IssueChanges(category_ids=[(await make_category(outsider, theirs)).id])
    elif case == "unknown owner":
        changes = IssueChanges(owner_id=999_999)
    elif case == "blank name":
        changes = IssueChanges(name="  ")
    elif case == "bad severity":
        changes = IssueChanges(severity="huge")
    elif case == "long conclusion":
        changes = IssueChanges(closing=True, conclusion="x" * 70_000)
    else:
        changes = IssueChanges(webhook_url="http://127.0.0.1/hook")
    assert private_company.id

    scope = person.scope
    fast = await _updated(update_issue, scope, issue.id, changes)
    orm = await _updated(update_issue_by_orm, scope, issue.id, changes)

    assert fast == orm
    assert fast[0][0] in {"NotFound", "Forbidden", "IssueClosed", "ValidationFailed"}
    assert fast[1] == {"events": [], "live": [], "outbox": []}


async def test_unknown_issues_are_refused_alike(owner: Person) -> None:
    for issue_id in (0, -1, 2**31, 999_999):
        changes = IssueChanges(name="Hello")
        scope = owner.scope
        fast = await _updated(update_issue, scope, issue_id, changes)
        orm = await _updated(update_issue_by_orm, scope, issue_id, changes)
        assert fast == orm
        assert fast[0][0] == "NotFound"


@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.none() | st.text(max_size=20),
    description=st.none() | st.text(max_size=30),
    tags=st.none() | st.lists(st.text(max_size=8), max_size=3),
)
async def test_generated_changes_write_what_the_orm_writes(
    owner: Person,
    company: Company,
    name: str | None,
    description: str | None,
    tags: list[str] | None,
) -> None:
    category = await make_category(owner, company)
    issue = await make_issue(owner, category, name="Twin", tags=["Old", "tag"])
    twin = await make_issue(owner, category, name="Twin", tags=["Old", "tag"])
    for part in PART_TIMES:
        setattr(twin, part, getattr(issue, part))
    await twin.save(update_fields=list(PART_TIMES))
    changes = IssueChanges(name=name, description=description, tags=tags)
    scope = owner.scope
    fast = await _updated(update_issue, scope, issue.id, changes)
    orm = await _updated(update_issue_by_orm, scope, twin.id, changes)
    assert fast == orm
