"""Editing and deleting an issue cost at most four round trips on PostgreSQL, the transaction's
own included (one statement needs none), once the client's token is known to the process; a
Kinetic PUT reads the issue first, to compare what it sends with what the caller is shown."""

from issuetracker.models import Company, Invitation, Issue, IssueParticipant, IssueStatus

from ..sql_counter import count_sql
from ..support import Api, Person, gid, make_category, make_issue
from .issue_mutation_helpers import DELETE_ISSUE, UPDATE_ISSUE
from .test_collaboration import INVITE, REMOVE_PARTICIPANT
from .test_write_round_trips import _round_trips, postgres_only


@postgres_only
async def test_editing_an_issue_costs_at_most_four_round_trips_on_every_face(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue for each face, and a first request that made the owner's token known
    category = await make_category(owner, company)
    await api.data("{ viewer { name } }", as_=owner)
    graphql, connectnow, kinetic, closed = [
        await make_issue(owner, category, tags=["printer"]) for _ in range(4)
    ]
    fetched = await api.client.get(f"/api/v1/issues/{kinetic.guid}", headers=owner.headers)
    whole = await fetched.json()
    assert whole["action_items"] == []
    assert whole["facts"] == []
    changes = {
        "id": gid("Issue", graphql),
        "name": "Renamed",
        "description": "New.",
        "tags": ["printer", "floor-2"],
    }
    faces = [
        ("/graphql", "POST", {"query": UPDATE_ISSUE, "variables": {"input": changes}}, 3),
        (
            f"/api/issues/{connectnow.id}",
            "PUT",
            {"name": "Renamed", "description": "New.", "category_ids": [category.id]},
            3,
        ),
        # the whole issue as fetched, one field edited
        (f"/api/v1/issues/{kinetic.guid}", "PUT", {**whole, "name": "Renamed"}, 4),
        (f"/api/v1/issues/{closed.guid}", "PUT", {"status": "Closed", "conclusion": "Done."}, 4),
    ]

    for issue, (path, method, body, most) in zip(
        (graphql, connectnow, kinetic, closed), faces, strict=True
    ):
        # when the issue is edited on each face
        with count_sql() as statements:
            response = await api.client.request(method, path, json=body, headers=owner.headers)

        # then the write (checks, changes, consequences), what follows its commit and the
        # answer's read (and Kinetic's read of the issue to compare with) cost at most four
        assert response.status == 200, await response.text()
        stored = await Issue.get(id=issue.id)
        assert stored.name == "Renamed" or stored.status == IssueStatus.CLOSED
        assert _round_trips(statements) <= most, (path, statements)


@postgres_only
async def test_deleting_an_issue_costs_at_most_three_round_trips_on_every_face(
    api: Api, owner: Person, company: Company
) -> None:
    # given an issue for each face, and a first request that made the owner's token known
    category = await make_category(owner, company)
    await api.data("{ viewer { name } }", as_=owner)
    graphql, connectnow, kinetic = [await make_issue(owner, category) for _ in range(3)]
    faces = [
        (
            "/graphql",
            "POST",
            {"query": DELETE_ISSUE, "variables": {"input": {"id": gid("Issue", graphql)}}},
        ),
        (f"/api/issues/{connectnow.id}", "DELETE", None),
        (f"/api/v1/issues/{kinetic.guid}", "DELETE", None),
    ]

    for issue, (path, method, body) in zip((graphql, connectnow, kinetic), faces, strict=True):
        # when the issue is deleted on each face
        with count_sql() as statements:
            response = await api.client.request(method, path, json=body, headers=owner.headers)

        # then the write (checks, deletion, audit entry, live change), what follows its commit
        # and the answer's read cost at most three
        assert response.status in (200, 204), await response.text()
        assert (await Issue.get(id=issue.id)).deleted_at is not None
        assert _round_trips(statements) <= 3, (path, statements)


@postgres_only
async def test_inviting_and_removing_a_participant_cost_at_most_four_round_trips(
    api: Api, owner: Person, member: Person, company: Company
) -> None:
    # given an issue the member takes part in, and a first request that made the token known
    assert member.user is not None
    issue = await make_issue(owner, await make_category(owner, company))
    await IssueParticipant.create(issue_id=issue.id, user_id=member.user.id)
    await api.data("{ viewer { name } }", as_=owner)
    steps = [
        (INVITE, {"issueId": gid("Issue", issue), "email": "guest@example.com"}),
        (REMOVE_PARTICIPANT, {"issueId": gid("Issue", issue), "userId": gid("User", member.user)}),
    ]

    for document, given in steps:
        # when someone is invited, then a participant removed
        with count_sql() as statements:
            data = await api.data(document, {"input": given}, as_=owner)

        # then the write with its checks and the payload's reads cost at most four
        assert all(not answer["errors"] for answer in data.values()), data
        assert _round_trips(statements) <= 4, statements
    assert await Invitation.filter(issue_id=issue.id).count() == 1
    assert not await IssueParticipant.exists(issue_id=issue.id, user_id=member.user.id)
