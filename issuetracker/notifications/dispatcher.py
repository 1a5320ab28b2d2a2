"""The dispatcher: claims due outbox messages with a lease, sends them, and records each attempt.

Several dispatchers (in the server and in `worker` processes) may run at once: a message is
claimed by one lease at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional update of
the lease columns everywhere), and a dispatcher that dies simply lets its lease run out, after
which another sends the message again with the same idempotency key (at least once).

Deliveries run side by side, up to DISPATCH_CONCURRENCY, each on its own: a message is claimed
as soon as a place is free, so a receiver that hangs holds up only its own messages, and it gets
at most a quarter of the places (a receiver is a webhook host, however many URLs point at it, or
the SMTP server). While the database cannot be reached the dispatcher says so
once, waits longer and longer between looks, and says so once again when it is back.
"""

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from ..clock import utcnow
from ..db import database_unreachable
from ..logs import describe_failure
from ..models import MessageKind, MessageStatus, OutboxMessage
from ..settings import Settings
from .attempts import Attempt, Recorder, Undeliverable
from .delivery import WebhookSender, signing_secrets
from .email_builder import LinkSigner, build_email
from .in_flight import EMAIL_RECEIVER, Deliveries, Outage, Places, receiver_of
from .smtp import MailSender

log = logging.getLogger("issuetracker.dispatcher")


class Dispatcher:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 (jitter, not secrecy)
        self.mail = MailSender(settings.smtp_url)
        self.webhooks = WebhookSender(settings.webhook_allowed_hosts)
        self.name = f"dispatcher-{uuid.uuid4().hex[:12]}"
        self.recorder = Recorder(clock, self.rng, lock_rows=not settings.is_sqlite)

    async def run(self, stop: asyncio.Event) -> None:
        log.info("dispatcher started", extra={"dispatcher": self.name})
        extra = {"dispatcher": self.name}
        deliveries = Deliveries(self.settings.dispatch_concurrency)
        outage = Outage(log, self.settings.dispatch_poll_seconds, self.rng, extra)
        try:
            while not stop.is_set():
                wait = await self._top_up(deliveries, outage)
                await deliveries.pause(stop, wait)
        finally:
            await deliveries.finish()
            await self.close()

    async def _top_up(self, deliveries: Deliveries, outage: Outage) -> float:
        """Claims what the free places can take and starts sending it; returns how long to wait
        before looking again (0: at once, there may be more)."""
        poll = self.settings.dispatch_poll_seconds
        wanted = min(deliveries.room, self.settings.dispatch_batch_size)
        if not wanted:
            return poll  # full: the pause ends as soon as one delivery does
        try:
            claimed = await self._claim(wanted, deliveries.places())
        except Exception as failure:
            if database_unreachable(failure):
                return outage.failed(failure)
            log.exception("dispatch round failed", extra={"dispatcher": self.name})
            return poll
        outage.over()
        for message in claimed:
            deliveries.start(self._deliver_alone(message, outage), receiver_of(message))
        return 0.0 if len(claimed) == wanted else poll

    async def _deliver_alone(self, message: OutboxMessage, outage: Outage) -> None:
        try:
            await self._deliver(message)
        except Exception as failure:  # recording the attempt failed; the lease will run out
            if database_unreachable(failure):
                outage.noticed(failure)
            else:
                log.exception("delivery failed", extra={"dispatcher": self.name})

    async def close(self) -> None:
        await self.webhooks.close()

    async def run_once(self) -> int:
        """One round, for tests and tools: claims a batch, sends it (DISPATCH_CONCURRENCY at a
        time), waits for every delivery, and returns how many were claimed."""
        most = self.settings.dispatch_batch_size
        claimed = await self._claim(most, Places.unlimited(most))
        places = asyncio.Semaphore(self.settings.dispatch_concurrency)

        async def deliver(message: OutboxMessage) -> None:
            async with places:
                await self._deliver(message)

        await asyncio.gather(*(deliver(message) for message in claimed))
        return len(claimed)

    async def _claim(self, most: int, places: Places) -> list[OutboxMessage]:
        """Leases up to `most` due messages, no more to one receiver than `places` allows."""
        now = self.clock()
        lease = f"{self.name}:{uuid.uuid4().hex[:8]}"
        free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        full = places.full()
        async with in_transaction():
            due = OutboxMessage.filter(
                free, status=MessageStatus.PENDING, next_attempt_at__lte=now
            ).order_by("next_attempt_at", "id")
            if EMAIL_RECEIVER in full:
                due = due.exclude(kind=MessageKind.EMAIL)
            if hosts := full - {EMAIL_RECEIVER}:
                due = due.exclude(destination_host__in=sorted(hosts))
            due = due.limit(places.candidates(most)).only("id", "kind", "destination_host")
            if not self.settings.is_sqlite:
                due = due.select_for_update(skip_locked=True)
            ids = [message.id for message in places.pick(await due, most)]
            if ids:
                await OutboxMessage.filter(free, id__in=ids).update(
                    lease_owner=lease,
                    lease_until=now + timedelta(seconds=self.settings.dispatch_lease_seconds),
                )
        if not ids:
            return []
        return await OutboxMessage.filter(id__in=ids, lease_owner=lease).select_related(
            "webhook", "issue"
        )

    async def _deliver(self, message: OutboxMessage) -> None:
        attempt = Attempt(started=self.clock(), timer=time.perf_counter())
        try:
            if message.kind is MessageKind.EMAIL:
                await self._send_email(message, attempt.started)
            else:
                attempt.status, attempt.retry_after = await self._call_webhook(
                    message, attempt.started
                )
                if not 200 <= attempt.status < 300:
                    attempt.error = f"The receiver answered {attempt.status}."
        except Undeliverable as reason:
            attempt.error, attempt.dead = str(reason), True
        except Exception as failure:  # every failure of the transport is a failed attempt
            attempt.error = describe_failure(failure)
        await self.recorder.record(message, attempt)

    async def _send_email(self, message: OutboxMessage, now: datetime) -> None:
        links = LinkSigner(self.settings.public_url, self.settings.secret_key, now)
        email = build_email(
            message.event_type,
            message.destination,
            message.payload,
            self.settings.mail_from,
            links,
        )
        await self.mail.send(email)

    async def _call_webhook(
        self, message: OutboxMessage, now: datetime
    ) -> tuple[int, float | None]:
        webhook = message.webhook
        if webhook is not None and not webhook.active:
            raise Undeliverable("The webhook is disabled.")
        # A user's webhook is called at its current URL, so a corrected URL gets the retries.
        url = webhook.url if webhook else message.destination
        secrets = signing_secrets(webhook, now) if webhook else []
        if message.issue is not None:  # the issue's own webhook URL, with the issue's secret
            if not message.issue.webhook_secret:
                raise Undeliverable("The issue has no webhook secret to sign with.")
            secrets = [message.issue.webhook_secret]
        await self._sign_confirmation_link(message, now)
        response = await self.webhooks.send(
            url, secrets, message.idempotency_key, message.payload, now
        )
        return response.status, response.retry_after

    async def _sign_confirmation_link(self, message: OutboxMessage, now: datetime) -> None:
        """Signed once, at the first attempt, so every attempt sends the same body."""
        data = message.payload["data"]
        if "confirmation_url" not in data or data["confirmation_url"]:
            return
        links = LinkSigner(self.settings.public_url, self.settings.secret_key, now)
        data["confirmation_url"] = links.confirm_url(data["subscription"]["id"])
        await OutboxMessage.filter(id=message.id).update(payload=message.payload)
