"""Fuzzing the Kinetic face against /api/v1/openapi.json: no request the document can describe,
nor one it forbids, gets a 5xx or an answer the document does not describe."""

from collections.abc import Mapping
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company

from ..openapi_fuzzing import base_url, fuzz, in_its_own_thread, no_name_lookups
from ..support import Person, make_category
from .helpers import create, edit

pytestmark = pytest.mark.fuzz


async def test_the_kinetic_document_holds_under_fuzzing(
    client: TestClient,
    owner: Person,
    member: Person,
    company: Company,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given issues the owner shares with a member (open, closed, tagged, with parts), and the
    # owner's token
    no_name_lookups(monkeypatch)
    await make_category(owner, company)
    assert member.user is not None
    kept = await create(
        client,
        owner,
        name="Printer down",
        description="Floor 2.",
        tag_list=["printer", "floor-2"],
    )
    await edit(
        client,
        kept["guid"],
        owner,
        action_items=[{"description": "Call the vendor", "due_date": "2030-01-31"}],
        facts=[{"description": "It smokes."}],
        owner_id=member.user.id,
    )
    spare = await create(client, owner, name="To be deleted")
    closed = await create(client, owner, name="Was closed")
    await edit(client, closed["guid"], owner, status="Closed", conclusion="Fixed.")

    def known(method: str, path: str) -> Mapping[str, Any] | None:
        """The shared issue and the member; deletions take a spare issue."""
        if path == "/api/v1/issues/{guid}":
            return {"guid": spare["guid"] if method == "DELETE" else kept["guid"]}
        if path == "/api/v1/users/{guid}/shared_issues":
            return {"guid": str(member.user.guid) if member.user else None}
        return None

    document = await (await client.get("/api/v1/openapi.json")).json()

    # when schemathesis sends what the document describes, and what it forbids
    report = await in_its_own_thread(
        lambda: fuzz("Kinetic", document, base_url(client), owner.headers, known=known)
    )

    # then no answer is a server error or breaks the document
    print(report.summary())
    assert report.requests >= report.runs > 0
    assert report.server_errors == 0
    assert report.failures == [], "\n\n".join(report.failures[:5])
