"""`python server.py worker` serves its own `/metrics` (and `/healthz`) on WORKER_METRICS_PORT:
the deliveries it made are counted there, under the server's rule of who may read them.

The worker runs as a process of its own over a database this test shares, and delivers to a
real webhook receiver on loopback."""

import asyncio
import os
from pathlib import Path

import aiohttp

from issuetracker.clock import utcnow
from issuetracker.notifications.outbox import enqueue_webhook

from ..notifications.conftest import Receiver, free_port, receiver
from ..notifications.outbox_helpers import shared_database, until_delivered
from .processes import server_process, until_ready
from .test_metrics import Samples, samples_of, value

__all__ = ["receiver"]

DELIVERED = {"kind": "webhook", "outcome": "delivered"}


async def scraped(session: aiohttp.ClientSession, port: int, **headers: str) -> tuple[int, str]:
    async with session.get(f"http://127.0.0.1:{port}/metrics", headers=headers) as response:
        return response.status, await response.text()


async def until_counted(session: aiohttp.ClientSession, port: int) -> Samples:
    """The worker's metrics once they count the delivery (a moment after it is recorded)."""
    async with asyncio.timeout(30):
        while True:
            status, text = await scraped(session, port)
            assert status == 200, text
            samples = samples_of(text)
            if value(samples, "issuetracker_deliveries_total", **DELIVERED):
                return samples
            await asyncio.sleep(0.1)


async def test_a_worker_serves_the_metrics_of_its_deliveries(
    tmp_path: Path, receiver: Receiver
) -> None:
    async with shared_database(tmp_path) as database_url:
        # given a webhook message in the outbox, and a worker with a metrics port
        message = await enqueue_webhook(utcnow(), receiver.url, "issue_updated", {"id": 1})
        port = free_port()
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("SMTP_URL", "PROMETHEUS_MULTIPROC_DIR")
            },
            "DATABASE_URL": database_url,
            "WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{receiver.port}",
            "DISPATCH_POLL_SECONDS": "0.2",
            "HOST": "127.0.0.1",
            "WORKER_METRICS_PORT": str(port),
            "LOG_LEVEL": "INFO",
        }
        log = tmp_path / "worker.log"
        async with (
            server_process(env, "worker", log=log),
            aiohttp.ClientSession() as session,
        ):
            # when it has delivered the message
            await until_ready(port, "/healthz")
            await until_delivered(message, seconds=30)

            # then its /metrics counts the delivery and its latency, for loopback clients only
            samples = await until_counted(session, port)
            refused, _ = await scraped(session, port, **{"X-Forwarded-For": "203.0.113.7"})

    assert len(receiver.requests) == 1
    assert value(samples, "issuetracker_deliveries_total", **DELIVERED) == 1
    assert value(samples, "issuetracker_delivery_seconds_count", kind="webhook") == 1
    assert value(samples, "issuetracker_outbox_pending", kind="webhook") == 0
    assert refused == 403
    assert f"http://127.0.0.1:{port}/metrics" in log.read_text()
