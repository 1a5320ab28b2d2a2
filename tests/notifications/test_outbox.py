"""The outbox and its dispatcher, against real peers: nothing is sent for a change that rolled
back, nothing is lost while a peer is down or a dispatcher dies, nothing delivered is sent twice,
and retries follow a capped exponential backoff that gives up after about three days."""

import asyncio
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from tortoise.transactions import in_transaction

from issuetracker.models import (
    Company,
    Issue,
    MessageKind,
    MessageStatus,
    OutboxMessage,
    Subscription,
    Webhook,
)
from issuetracker.notifications.attempts import (
    FIRST_RETRY,
    LONGEST_RETRY_AFTER,
    LONGEST_WAIT,
    MAX_ATTEMPTS,
    retry_delay,
)
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.notifications.outbox import enqueue_webhook
from issuetracker.resolvers.webhooks.webhooks import WebhookChanges, create_webhook
from issuetracker.settings import Settings

from ..databases import TEST_DATABASE_URL
from ..support import Api, Person, gid, make_category, make_person
from .conftest import Clock, Receiver, SmtpServer, deliver_all
from .outbox_helpers import (
    ChangeAbandoned,
    Workers,
    attempts_of,
    create_issue_then_fail,
    drain,
    seeded,
    shared_database,
    until_delivered,
    until_next_attempt,
    wait_until,
    webhook_ids,
)

SUBSCRIBE_TO_CATEGORY = """
mutation ($id: ID!, $email: String!) {
  subscribeToCategory(input: {categoryId: $id, email: $email}) { created errors { code } }
}
"""

DAY = 24 * 3600.0


async def test_a_change_that_rolls_back_sends_nothing(
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    receiver: Receiver,
    dispatcher: Dispatcher,
) -> None:
    # given a category followed by an address whose owner has a webhook
    network = await make_category(owner, company, "Network")
    follower = await make_person("Fay Follower")
    assert follower.user is not None
    await Subscription.create(
        email=follower.user.email, category=network, confirmed_at=datetime.now(UTC)
    )
    await Webhook.create(user=follower.user, url=receiver.url, secret="whsec_" + "A" * 44)

    # when an issue is created there, inside a transaction that then fails
    written: list[MessageKind] = []
    with pytest.raises(ChangeAbandoned):
        await create_issue_then_fail(owner, network, written)
    sent = await deliver_all(dispatcher)

    # then the notifications were written with the change, and went with it
    assert sorted(written) == [MessageKind.EMAIL, MessageKind.WEBHOOK]
    assert await OutboxMessage.all().count() == 0
    assert await Issue.all().count() == 0
    assert sent == 0
    assert smtp.mailbox.messages == []
    assert receiver.requests == []


async def test_an_email_waits_out_an_smtp_outage_and_arrives_once(
    api: Api,
    owner: Person,
    company: Company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    clock: Clock,
) -> None:
    # given the SMTP server is down when someone subscribes
    network = await make_category(owner, company, "Network")
    smtp.stop()
    variables = {"id": gid("Category", network), "email": "reader@example.com"}
    assert (await api.data(SUBSCRIBE_TO_CATEGORY, variables))["subscribeToCategory"]["created"]

    # when the dispatcher tries to send the confirmation
    assert await deliver_all(dispatcher) == 1

    # then the failed attempt is recorded and the e-mail waits for a later one
    [message] = await OutboxMessage.filter(kind=MessageKind.EMAIL)
    [attempt] = await attempts_of(message)
    assert (attempt.succeeded, attempt.response_status) == (False, None)
    assert attempt.error
    assert message.status is MessageStatus.PENDING
    assert message.attempts == 1
    assert message.last_error == attempt.error
    assert message.next_attempt_at >= clock() + timedelta(seconds=0.8 * FIRST_RETRY)

    # when the server is back: nothing before the retry is due, then the e-mail, once
    smtp.start()
    assert await deliver_all(dispatcher) == 0
    await until_next_attempt(clock, message)
    assert await deliver_all(dispatcher) == 1
    clock.advance(days=4)
    assert await deliver_all(dispatcher) == 0

    [mail] = smtp.mailbox.to("reader@example.com")
    assert mail["Subject"] == "Confirm your subscription to Network"
    await message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 2)
    assert [a.succeeded for a in await attempts_of(message)] == [False, True]


async def test_an_event_is_retried_until_the_receiver_takes_it_then_never_sent_again(
    owner: Person,
    settings: Settings,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: Clock,
) -> None:
    # given a new webhook whose receiver fails, then asks for two minutes, then is healthy
    await create_webhook(owner.scope_under(settings), WebhookChanges(url=receiver.url))
    [message] = await OutboxMessage.all()
    receiver.responses = [
        web.Response(status=500),
        web.Response(status=429, headers={"Retry-After": "120"}),
    ]

    # when the dispatcher runs whenever the event is due, and long after
    await deliver_all(dispatcher)
    await until_next_attempt(clock, message)
    await deliver_all(dispatcher)
    clock.advance(seconds=119)
    too_early = await deliver_all(dispatcher)
    await until_next_attempt(clock, message)
    await deliver_all(dispatcher)
    for _ in range(3):
        clock.advance(days=1)
        await deliver_all(dispatcher)

    # then it was tried three times with one webhook-id and the same body, and delivered once
    assert too_early == 0
    assert webhook_ids(receiver) == [message.idempotency_key] * 3
    assert len({request["body"] for request in receiver.requests}) == 1
    await message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 3)
    attempts = await attempts_of(message)
    assert [a.response_status for a in attempts] == [500, 429, 200]
    assert [a.succeeded for a in attempts] == [False, False, True]


async def test_a_receiver_that_never_answers_well_ends_dead_after_about_three_days(
    owner: Person,
    settings: Settings,
    receiver: Receiver,
    dispatcher: Dispatcher,
    clock: Clock,
) -> None:
    # given a webhook whose receiver always fails
    await create_webhook(owner.scope_under(settings), WebhookChanges(url=receiver.url))
    [message] = await OutboxMessage.filter(kind=MessageKind.WEBHOOK)
    receiver.responses = [web.Response(status=500) for _ in range(MAX_ATTEMPTS + 5)]

    # when the dispatcher runs every time the event is due
    for _ in range(MAX_ATTEMPTS + 3):
        await deliver_all(dispatcher)
        await until_next_attempt(clock, message)
    clock.advance(days=30)
    await deliver_all(dispatcher)
    await message.refresh_from_db()

    # then it was tried MAX_ATTEMPTS times over about three days, and is kept as dead
    assert message.status is MessageStatus.DEAD
    assert message.attempts == MAX_ATTEMPTS
    assert webhook_ids(receiver) == [message.idempotency_key] * MAX_ATTEMPTS
    attempts = await attempts_of(message)
    span = (attempts[-1].attempted_at - attempts[0].attempted_at).total_seconds()
    assert 2.5 * DAY < span < 3.5 * DAY


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgres"),
    reason="concurrent dispatchers claim with FOR UPDATE SKIP LOCKED, on PostgreSQL",
)
async def test_two_dispatchers_deliver_a_thousand_events_each_exactly_once(
    owner: Person, receiver: Receiver, clock: Clock
) -> None:
    # given a thousand events waiting for one webhook
    assert owner.user is not None
    webhook = await Webhook.create(user=owner.user, url=receiver.url, secret="whsec_" + "A" * 44)
    async with in_transaction():
        for number in range(1000):
            data = {"number": number}
            await enqueue_webhook(clock(), receiver.url, "issue_created", data, webhook)
    settings = Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        webhook_allowed_hosts=[f"127.0.0.1:{receiver.port}"],
        _env_file=None,
    )
    first, second = Dispatcher(settings, clock=clock), Dispatcher(settings, clock=clock)

    # when two dispatchers work on them at the same time
    try:
        claimed = await asyncio.gather(drain(first), drain(second))
    finally:
        await first.close()
        await second.close()

    # then both took a share, every event arrived, and none twice
    keys = await OutboxMessage.all().values_list("idempotency_key", flat=True)
    received = webhook_ids(receiver)
    assert all(share > 0 for share in claimed), claimed
    assert sum(claimed) == 1000
    assert len(received) == 1000
    assert set(received) == set(keys)
    assert await OutboxMessage.filter(status=MessageStatus.DELIVERED, attempts=1).count() == 1000


async def test_a_worker_killed_mid_delivery_is_replaced_and_the_event_arrives(
    tmp_path: Path, receiver: Receiver
) -> None:
    async with shared_database(tmp_path) as database_url:
        # given a new webhook whose event waits in the outbox of a database on disk
        owner = await make_person("Olive Owner")
        settings = Settings(
            environment="test",
            webhook_allowed_hosts=[f"127.0.0.1:{receiver.port}"],
            _env_file=None,
        )
        await create_webhook(owner.scope_under(settings), WebhookChanges(url=receiver.url))
        [message] = await OutboxMessage.all()
        receiver.delay = 5.0  # the first request is held open

        async with Workers(database_url, receiver, tmp_path) as workers:
            # when a worker is killed while it waits for the receiver
            first = await workers.start()
            await wait_until(lambda: len(receiver.requests) == 1)
            first.kill()
            await first.wait()
            await message.refresh_from_db()
            held = (message.status, message.attempts, message.lease_owner is not None)
            # and another worker starts once the receiver is quick again
            receiver.delay = 0.0
            await workers.start()
            await wait_until(lambda: len(receiver.requests) == 2)
            await until_delivered(message)

        # then the event arrived again with the same webhook-id, and was recorded delivered
        assert held == (MessageStatus.PENDING, 0, True)
        assert webhook_ids(receiver) == [message.idempotency_key] * 2, workers.output()
        assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
        assert message.status is MessageStatus.DELIVERED


def test_retry_delays_grow_exponentially_from_the_first_retry() -> None:
    rng = seeded(7)

    delays = [retry_delay(attempts, None, rng) for attempts in range(1, 10)]

    for attempts, delay in enumerate(delays, start=1):
        base = FIRST_RETRY * 2 ** (attempts - 1)
        assert 0.8 * base <= delay <= 1.2 * base, (attempts, delay)
    assert delays == sorted(delays)


def test_retry_delays_are_jittered_reproducibly_by_the_random_source() -> None:
    def delays(seed: int) -> list[float]:
        rng = seeded(seed)
        return [retry_delay(3, None, rng) for _ in range(200)]

    assert delays(1) == delays(1)
    assert delays(1) != delays(2)
    assert len(set(delays(1))) == 200
    assert min(delays(1)) < 0.85 * 120 < 1.15 * 120 < max(delays(1))
    assert statistics.mean(delays(1)) == pytest.approx(120, rel=0.05)


def test_retry_delays_are_capped() -> None:
    rng = seeded(7)

    late = [retry_delay(attempts, None, rng) for attempts in range(12, MAX_ATTEMPTS + 20)]

    assert all(0.8 * LONGEST_WAIT <= delay <= 1.2 * LONGEST_WAIT for delay in late)


def test_retry_after_is_honoured_when_longer_and_capped_at_a_day() -> None:
    rng = seeded(7)

    assert retry_delay(1, 3600, rng) == 3600
    assert retry_delay(1, 0, rng) >= 0.8 * FIRST_RETRY
    assert retry_delay(8, 5, rng) >= 0.8 * FIRST_RETRY * 2**7
    assert retry_delay(1, 30 * DAY, rng) == LONGEST_RETRY_AFTER


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_max_attempts_span_about_three_days(seed: int) -> None:
    rng = seeded(seed)

    waits = [retry_delay(attempts, None, rng) for attempts in range(1, MAX_ATTEMPTS)]

    assert 2.5 * DAY < sum(waits) < 3.5 * DAY
