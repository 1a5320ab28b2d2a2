"""Inviting to an issue and removing a participant by one statement (on PostgreSQL) write
exactly what the ORM's path writes: the invitation and its e-mail's outbox row, or the removal,
and the issue's involvement time; and refuse alike, writing nothing. On SQLite both are the
ORM's path, and the test holds all the same."""

from typing import Any

import pytest

from issuetracker.models import PART_TIMES, Company, Invitation, Issue, IssueParticipant
from issuetracker.resolvers.core.errors import DomainError
from issuetracker.resolvers.core.scope import Scope
from issuetracker.resolvers.issues.participants import (
    invite_by_orm,
    invite_to_issue,
    remove_by_orm,
    remove_participant,
)
from issuetracker.resolvers.issues.writes import close_issue

from ..support import Person, make_category, make_issue
from .test_one_statement_closing import SAME_IN_BOTH
from .write_rows import added_since, counters, marks

VARYING = {"id", "issue_id", "created_at", "updated_at"}


def _plain(row: Any) -> Any:
    if isinstance(row, Invitation):
        return {
            k: getattr(row, k) for k in Invitation._meta.fields_db_projection if k not in VARYING
        }
    if isinstance(row, Issue):
        return {
            k: getattr(row, k) for k in Issue._meta.fields_db_projection if k not in SAME_IN_BOTH
        }
    return row


async def _twins(owner: Person, company: Company) -> tuple[Issue, Issue]:
    category = await make_category(owner, company)
    issue, twin = [await make_issue(owner, category, name="Twin") for _ in range(2)]
    for part in PART_TIMES:
        setattr(twin, part, getattr(issue, part))
    await twin.save(update_fields=list(PART_TIMES))
    return issue, twin


async def _done(write: Any, scope: Scope, issue_id: int, argument: Any) -> Any:
    before, stamps = await marks(), await counters(issue_id)
    people = await IssueParticipant.filter(issue_id=issue_id).count()
    try:
        answer = _plain(await write(scope, issue_id, argument))
    except DomainError as refused:
        answer = (type(refused).__name__, str(refused), getattr(refused, "errors", None))
    rows = await added_since(before)
    for row in rows["outbox"]:
        row["payload"] = {**row["payload"], "invitation_id": "<new>"}
    after = await counters(issue_id)
    state = {k: v for k, v in after["issue"].items() if k not in SAME_IN_BOTH}
    left = people - await IssueParticipant.filter(issue_id=issue_id).count()
    return answer, rows, after["versions"] == stamps["versions"], state, left


@pytest.mark.parametrize(
    "case", ["new", "invited", "taking part", "bad address", "outsider", "closed"]
)
async def test_an_invitation_writes_what_the_orm_writes(
    owner: Person, member: Person, outsider: Person, company: Company, case: str
) -> None:
    assert member.user is not None
    issues = await _twins(owner, company)
    address, person, setup = "Guest@Example.com ", owner, owner.scope
    if case == "invited":
        for issue in issues:
            await invite_by_orm(setup, issue.id, address)
    elif case == "taking part":
        address = owner.user.email if owner.user else ""
    elif case == "bad address":
        address = "not an address"
    elif case == "outsider":
        person = outsider
    elif case == "closed":
        for issue in issues:
            await close_issue(setup, issue.id, "Done.")
    scope = person.scope

    fast = await _done(invite_to_issue, scope, issues[0].id, address)
    orm = await _done(invite_by_orm, scope, issues[1].id, address)

    assert fast == orm
    written = len(fast[1]["outbox"])
    assert written == (1 if case == "new" else 0)


@pytest.mark.parametrize("case", ["participant", "owner", "not taking part", "outsider"])
async def test_removing_a_participant_writes_what_the_orm_writes(
    owner: Person, member: Person, outsider: Person, company: Company, case: str
) -> None:
    assert member.user is not None
    assert owner.user is not None
    issues = await _twins(owner, company)
    if case != "not taking part":
        for issue in issues:
            await IssueParticipant.create(issue_id=issue.id, user_id=member.user.id)
    user_id = owner.user.id if case == "owner" else member.user.id
    scope = (outsider if case == "outsider" else owner).scope

    fast = await _done(remove_participant, scope, issues[0].id, user_id)
    orm = await _done(remove_by_orm, scope, issues[1].id, user_id)

    assert fast == orm
    assert fast[4] == (1 if case == "participant" else 0)
