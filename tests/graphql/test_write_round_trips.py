"""Each hot write costs at most four round trips on PostgreSQL, its transaction's own included
(a statement alone needs none: it is atomic), once the client's token is known to the process.
On SQLite the ORM's path writes, in one transaction, statement by statement."""

from typing import Any

import pytest

from issuetracker.models import Company, Issue, IssueStatus

from ..databases import TEST_DATABASE_URL
from ..sql_counter import count_sql
from ..support import Api, Person, gid, make_category, make_issue
from .issue_mutation_helpers import ADD_ISSUE_EVENT, CLOSE_ISSUE, CREATE_ISSUE
from .test_written_payloads import WRITES

ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="round trips counted on PostgreSQL")


def _round_trips(statements: list[str]) -> int:
    """The statements sent for the request: the one-statement writes open no transaction (the
    ORM would log none of its BEGIN and COMMIT)."""
    return len(statements)


@postgres_only
async def test_a_note_costs_two_round_trips(api: Api, owner: Person, company: Company) -> None:
    # given an issue, and a first request that made the owner's token known
    issue = await make_issue(owner, await make_category(owner, company))
    await api.data("{ viewer { name } }", as_=owner)

    # when a note is added over GraphQL
    with count_sql() as statements:
        data = await api.data(
            ADD_ISSUE_EVENT,
            {"input": {"issueId": gid("Issue", issue), "description": "Ordered a cable."}},
            as_=owner,
        )

    # then the write (with its checks and consequences, the status stamps and the NOTIFY,
    # which a batch of notes makes once) and the payload's read (it asks for the author, beyond
    # the written row) were all
    assert data["addIssueEvent"]["event"]["description"] == "Ordered a cable."
    assert _round_trips(statements) == 2, statements


@postgres_only
async def test_creating_an_issue_costs_three_round_trips_on_every_face(
    api: Api, owner: Person, company: Company
) -> None:
    # given a category, and a first request that made the owner's token known
    category = await make_category(owner, company)
    await api.data("{ viewer { name } }", as_=owner)
    graphql = {
        "query": CREATE_ISSUE,
        "variables": {"input": {"name": "Down", "categoryIds": [gid("Category", category)]}},
    }
    connectnow = {
        "name": "Down",
        "description": "d",
        "severity": "info",
        "category_ids": [category.id],
    }
    faces = [
        ("/graphql", graphql),
        ("/api/issues", connectnow),
        ("/api/v1/issues", {"name": "Down"}),
    ]

    for path, body in faces:
        # when an issue is created on each face
        with count_sql() as statements:
            response = await api.client.post(path, json=body, headers=owner.headers)

        # then the write, what follows its commit and the answer's read cost three
        assert response.status in (200, 201), await response.text()
        assert _round_trips(statements) <= 3, (path, statements)


@postgres_only
async def test_closing_an_issue_costs_three_round_trips_on_every_face(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue for each face, and a first request that made the owner's token known
    category = await make_category(owner, company)
    await api.data("{ viewer { name } }", as_=owner)
    graphql, connectnow = [await make_issue(owner, category) for _ in range(2)]
    faces = [
        (
            "/graphql",
            {
                "query": CLOSE_ISSUE,
                "variables": {"input": {"id": gid("Issue", graphql), "description": "Fixed."}},
            },
        ),
        (f"/api/issues/{connectnow.id}/close", {"description": "Fixed."}),
    ]

    for issue, (path, body) in zip((graphql, connectnow), faces, strict=True):
        # when the issue is closed on each face
        with count_sql() as statements:
            response = await api.client.post(path, json=body, headers=owner.headers)

        # then the write (checks, closing note, consequences), what follows its commit and the
        # answer's read cost three
        assert response.status == 200, await response.text()
        assert (await Issue.get(id=issue.id)).status == IssueStatus.CLOSED
        assert _round_trips(statements) <= 3, (path, statements)


BATCHED = {"W1", "note", "creation"}
"""Writes sent in batches (`sqljson.batched`): their statement also stamps the status pages."""

W1 = (
    "mutation ($input: AddIssueEventInput!) { addIssueEvent(input: $input) {"
    " event { id description createdAt } errors { code } } }"
)


@postgres_only
@pytest.mark.parametrize("write", ["W1", *WRITES])
async def test_a_payload_of_the_written_rows_columns_costs_no_read(
    api: Api, owner: Person, company: Company, write: str
) -> None:
    # given an issue, and a first request that made the owner's token known
    category = await make_category(owner, company)
    issue = await make_issue(owner, category)
    await api.data("{ viewer { name } }", as_=owner)
    if write == "W1":
        document = W1
        given: dict[str, Any] = {"issueId": gid("Issue", issue), "description": "Ordered."}
    else:
        document, given_of, _ = WRITES[write]
        given = given_of(issue, category)

    # when the write's payload asks only for the written row's own columns
    with count_sql() as statements:
        data = await api.data(document, {"input": given}, as_=owner)

    # then the write and what follows its commit (for batched writes, in the write) are all:
    # the payload is the write's values
    assert not any(answer.get("errors") for answer in data.values()), data
    assert _round_trips(statements) == (1 if write in BATCHED else 2), statements
