"""Notes added at once (`sqljson.batched`): on PostgreSQL they share one round trip and one
commit, and each is still written, answered and refused as if it came alone; a statement of the
batch that fails takes none of the others with it. On SQLite each goes its own way (the ORM's),
and the answers hold all the same."""

import asyncio
from datetime import UTC, datetime

import asyncpg
import pytest
from asyncpg.exceptions import PostgresError
from tortoise import connections

from issuetracker.models import Company, IssueEvent, LiveChange
from issuetracker.resolvers.core.errors import DomainError, NotFound
from issuetracker.resolvers.issues import notes
from issuetracker.resolvers.live.changes import CHANNEL
from issuetracker.sqljson import batched
from issuetracker.sqljson.batched import write_row

from ..databases import TEST_DATABASE_URL
from ..sql_counter import count_sql
from ..support import Person, make_category, make_company, make_issue

ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="batches are PostgreSQL's")


async def _outcome(person: Person, issue_id: int, text: str) -> object:
    try:
        note = await notes.add_issue_event(person.scope, issue_id, text)
    except DomainError as refused:
        return type(refused)
    return (note.issue_id, note.description, note.author_id)


async def test_notes_added_at_once_are_each_written_and_answered(
    owner: Person, outsider: Person, private_company: Company
) -> None:
    # given two issues of a private company
    category = await make_category(owner, private_company)
    first, second = await make_issue(owner, category), await make_issue(owner, category)
    assert owner.user is not None

    # when notes arrive at once: three on one issue, one on the other, one from an outsider
    writes = [
        (owner, first.id, "One"),
        (owner, second.id, "Two"),
        (outsider, first.id, "Sneaky"),
        (owner, first.id, "Three"),
        (owner, first.id, "Four"),
    ]
    outcomes = await asyncio.gather(*(_outcome(*write) for write in writes))

    # then each is answered as if it came alone, and the outsider's is refused
    assert outcomes == [
        (first.id, "One", owner.user.id),
        (second.id, "Two", owner.user.id),
        NotFound,
        (first.id, "Three", owner.user.id),
        (first.id, "Four", owner.user.id),
    ]
    # and every note of the owner's is on its issue's timeline, with its live change
    written = (
        await IssueEvent.filter(kind="note").order_by("id").values_list("issue_id", "description")
    )
    assert sorted(written) == sorted(
        [(first.id, "One"), (second.id, "Two"), (first.id, "Three"), (first.id, "Four")]
    )
    assert await LiveChange.filter(kind="updated").count() == 4


@postgres_only
async def test_notes_added_at_once_share_one_round_trip(owner: Person, company: Company) -> None:
    # given three issues
    category = await make_category(owner, company)
    issues = [await make_issue(owner, category) for _ in range(3)]

    # when a note is added to each at once
    with count_sql() as statements:
        await asyncio.gather(*(_outcome(owner, issue.id, "Noted.") for issue in issues))

    # then the three notes went to the database together
    assert sum(statement.startswith(notes.NOTE_SQL) for statement in statements) == 1, statements


@postgres_only
async def test_a_failing_statement_in_a_batch_takes_none_of_the_others_with_it(
    owner: Person, company: Company
) -> None:
    # given three issues, and notes for each, the second of which PostgreSQL refuses (a text
    # with a NUL character: the input's checks, which refuse it first, are not asked here)
    category = await make_category(owner, company)
    issues = [await make_issue(owner, category) for _ in range(3)]
    assert owner.user is not None
    author, now = owner.user.id, datetime.now(UTC)

    def note(issue_id: int, text: str) -> list[object]:
        return [issue_id, text, author, now, now, "request", now.isoformat()]

    # when they are sent at once
    sent = [
        note(issues[0].id, "Fine"),
        note(issues[1].id, "Bad\x00"),
        note(issues[2].id, "Also fine"),
    ]
    outcomes = await asyncio.gather(
        *(write_row(notes.NOTE_SQL, params) for params in sent), return_exceptions=True
    )

    # then the refused one gets its own error, and the others are written and answered
    assert isinstance(outcomes[1], PostgresError)
    assert all(isinstance(outcome, tuple) and outcome[0] for outcome in (outcomes[0], outcomes[2]))
    written = await IssueEvent.filter(kind="note").values_list("issue_id", "description")
    assert sorted(written) == [(issues[0].id, "Fine"), (issues[2].id, "Also fine")]


@postgres_only
async def test_a_batch_locks_its_issues_in_one_order(owner: Person, company: Company) -> None:
    # given three issues
    category = await make_category(owner, company)
    issues = [await make_issue(owner, category) for _ in range(3)]

    # when notes on them arrive at once, the last issue's first
    arriving = list(reversed(issues))
    await asyncio.gather(*(_outcome(owner, issue.id, f"On {issue.id}") for issue in arriving))

    # then the batch wrote them in the order of their issues (so two batches never lock the
    # same issues in opposite orders), and each is still on its own issue
    written = (
        await IssueEvent.filter(kind="note").order_by("id").values_list("issue_id", "description")
    )
    assert written == [(issue.id, f"On {issue.id}") for issue in issues]


async def _versions() -> dict[int, int]:
    return dict(await Company.all().values_list("id", "status_version"))


async def test_notes_added_at_once_stamp_the_status_pages_of_theirs_only(
    owner: Person, outsider: Person, company: Company, private_company: Company
) -> None:
    # given issues of two companies, and of a third the outsider may not note
    first = await make_issue(owner, await make_category(owner, company))
    second = await make_issue(owner, await make_category(owner, private_company))
    third_company = await make_company(owner, name="Third Ltd", public=False)
    third = await make_issue(owner, await make_category(owner, third_company))
    before = await _versions()

    # when notes on all three arrive at once, the third's from the outsider
    writes = [(owner, first.id, "One"), (outsider, third.id, "No"), (owner, second.id, "Two")]
    outcomes = await asyncio.gather(*(_outcome(*write) for write in writes))

    # then the status pages of the two noted issues' companies are stamped anew, the third's not
    assert outcomes[1] is NotFound
    after = await _versions()
    assert after[company.id] > before[company.id]
    assert after[private_company.id] > before[private_company.id]
    assert after[third_company.id] == before[third_company.id]


@postgres_only
async def test_a_batch_of_notes_wakes_the_live_feeds(owner: Person, company: Company) -> None:
    # given two issues, and a connection listening where the live feeds listen
    category = await make_category(owner, company)
    issues = [await make_issue(owner, category) for _ in range(2)]
    client = connections.get("default")
    listener = await asyncpg.connect(
        **{name: getattr(client, name) for name in ("host", "port", "user", "password", "database")}
    )
    woken = asyncio.Event()
    await listener.add_listener(CHANNEL, lambda *_: woken.set())
    try:
        # when notes on both arrive at once
        await asyncio.gather(*(_outcome(owner, issue.id, "Noted.") for issue in issues))

        # then the feeds are told, once the batch committed
        await asyncio.wait_for(woken.wait(), timeout=10)
    finally:
        await listener.close()


async def test_batches_on_their_way_together_stamp_shared_companies_without_waiting_in_a_circle(
    owner: Person, company: Company, private_company: Company
) -> None:
    # given issues of two companies, some in both
    ours, theirs = (
        await make_category(owner, company),
        await make_category(owner, private_company),
    )
    issues = [await make_issue(owner, ours) for _ in range(3)]
    issues += [await make_issue(owner, theirs) for _ in range(3)]
    before = await _versions()

    # when more notes arrive at once than one batch takes, so that batches go side by side
    # and each ends by stamping both companies
    count = batched.MAX_BATCH * 2 + 5
    outcomes = await asyncio.gather(
        *(_outcome(owner, issues[n % len(issues)].id, f"Note {n}") for n in range(count))
    )

    # then every note is written and answered, and both companies are stamped anew
    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    assert await IssueEvent.filter(kind="note").count() == count
    after = await _versions()
    assert after[company.id] > before[company.id]
    assert after[private_company.id] > before[private_company.id]
