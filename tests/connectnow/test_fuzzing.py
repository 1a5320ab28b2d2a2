"""Fuzzing the ConnectNow face against /api/openapi.json: no request the document can describe,
nor one it forbids, gets a 5xx or an answer the document does not describe."""

from collections.abc import Mapping
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, Webhook
from issuetracker.resolvers.issues.writes import close_issue

from ..openapi_fuzzing import base_url, fuzz, in_its_own_thread, no_name_lookups
from ..support import Person, make_category, make_company, make_issue

pytestmark = pytest.mark.fuzz


async def test_the_connectnow_document_holds_under_fuzzing(
    client: TestClient,
    owner: Person,
    member: Person,
    company: Company,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a database with companies, categories, open and closed issues and a webhook, and
    # the token of an owner of them
    no_name_lookups(monkeypatch)
    category = await make_category(owner, company, "Printers")
    spare_category = await make_category(owner, company, "Spare")
    issue = await make_issue(owner, category, tags=["printer"])
    spare_issue = await make_issue(owner, category)
    closed = await make_issue(owner, category)
    await close_issue(owner.scope, closed.id, "Fixed.")
    await make_issue(member, category)
    spare_company = await make_company(owner, name="Spare Ltd")
    webhook = await Webhook.create(user=owner.user, url="http://127.0.0.1:9/hook", secret="s")
    spare_webhook = await Webhook.create(user=owner.user, url="http://127.0.0.1:9/2", secret="s")
    kept = {
        "issues": issue.id,
        "categories": category.id,
        "companies": company.id,
        "webhooks": webhook.id,
    }
    spare = {
        "issues": spare_issue.id,
        "categories": spare_category.id,
        "companies": spare_company.id,
        "webhooks": spare_webhook.id,
    }

    def known(method: str, path: str) -> Mapping[str, Any] | None:
        """Existing objects by id; deletions take spare ones, so the rest stay to be reached."""
        if "{id}" not in path:
            return None
        resource = path.split("/")[2]
        return {"id": (spare if method == "DELETE" else kept)[resource]}

    document = await (await client.get("/api/openapi.json")).json()

    # when schemathesis sends what the document describes, and what it forbids
    report = await in_its_own_thread(
        lambda: fuzz("ConnectNow", document, base_url(client), owner.headers, known=known)
    )

    # then no answer is a server error or breaks the document
    print(report.summary())
    assert report.requests >= report.runs > 0
    assert report.server_errors == 0
    assert report.failures == [], "\n\n".join(report.failures[:5])
