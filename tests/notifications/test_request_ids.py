"""A delivery can be tied to the request that caused it: the outbox message keeps the
request's id (`X-Request-Id`), and the delivery's log line says it."""

import logging

import pytest
from aiohttp.test_utils import TestClient

from issuetracker.models import Company, OutboxMessage
from issuetracker.notifications.dispatcher import Dispatcher

from ..support import Person, gid, make_category
from .conftest import Receiver, deliver_all

CREATE = """mutation ($category: ID!, $url: String!) {
  createIssue(input: {name: "Hooked", description: "It broke.", categoryIds: [$category],
                      webhookUrl: $url}) { issue { id } }
}"""


async def test_a_delivery_names_the_request_that_caused_it(
    client: TestClient,
    owner: Person,
    company: Company,
    receiver: Receiver,
    dispatcher: Dispatcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given an issue with a webhook URL, created by a request with its own id
    category = await make_category(owner, company)
    variables = {"category": gid("Category", category), "url": receiver.url}
    headers = {**owner.headers, "X-Request-Id": "trace-4711"}
    created = await client.post(
        "/graphql", json={"query": CREATE, "variables": variables}, headers=headers
    )
    assert created.headers["X-Request-Id"] == "trace-4711"

    # when the dispatcher delivers what it caused
    with caplog.at_level(logging.INFO, logger="issuetracker.dispatcher"):
        await deliver_all(dispatcher)

    # then the message keeps the request's id, and the delivery's log line names it
    message = await OutboxMessage.get(destination=receiver.url)
    assert message.request_id == "trace-4711"
    delivered = [record for record in caplog.records if record.getMessage() == "delivery attempt"]
    assert [record.request_id for record in delivered] == ["trace-4711"]  # type: ignore[attr-defined]
