"""Calling webhooks: Standard Webhooks signatures, timeouts, no redirects, a size cap, and a
resolver that refuses private addresses at connect time (so DNS rebinding is caught too)."""

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets as random
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from ..models import Webhook
from .webhook_targets import check_address, ensure_public_url

RESPONSE_CAP = 64 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=15, connect=5)


@dataclass(frozen=True)
class WebhookResponse:
    status: int
    retry_after: float | None


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. Users' webhooks and
    issues' own webhook URLs each have one."""
    return "whsec_" + base64.b64encode(random.token_bytes(32)).decode()


def signing_secrets(webhook: Webhook, now: datetime) -> list[str]:
    """The webhook's secret, and for a while after a rotation the one it replaced."""
    secrets = [webhook.secret]
    until = webhook.previous_secret_until
    if webhook.previous_secret and until is not None and now < until:
        secrets.append(webhook.previous_secret)
    return secrets


def signature_headers(
    secrets: Sequence[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """`webhook-signature` is `v1,` and the base64 HMAC-SHA256, keyed with the secret's bytes,
    of `webhook-id.webhook-timestamp.body`; one such signature a secret, space-separated, so
    a receiver verifies with the old secret or the new one while a rotation settles."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(f"v1,{_digest(secret, signed)}" for secret in secrets),
        "content-type": "application/json",
        "user-agent": "issuetracker-webhooks/1",
    }


def _digest(secret: str, signed: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


class PublicOnlyResolver(AbstractResolver):
    def __init__(self, allowed_hosts: list[str]) -> None:
        self._resolver = DefaultResolver()
        self._allowed = {entry.lower() for entry in allowed_hosts}

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._resolver.resolve(host, port, family)
        for result in results:
            check_address(ipaddress.ip_address(result["host"]), f"{host}:{port}", self._allowed)
        return results

    async def close(self) -> None:
        await self._resolver.close()


class WebhookSender:
    def __init__(self, allowed_hosts: list[str]) -> None:
        self.allowed_hosts = allowed_hosts
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(resolver=PublicOnlyResolver(self.allowed_hosts))
            self._session = aiohttp.ClientSession(connector=connector, timeout=TIMEOUT)
        return self._session

    async def send(
        self,
        url: str,
        secrets: Sequence[str],
        message_id: str,
        body: dict[str, Any],
        now: datetime,
    ) -> WebhookResponse:
        await ensure_public_url(url, self.allowed_hosts)  # IP literals never reach the resolver
        raw = json.dumps(body, separators=(",", ":")).encode()
        headers = (
            signature_headers(secrets, message_id, int(now.timestamp()), raw)
            if secrets
            else {"webhook-id": message_id, "content-type": "application/json"}
        )
        async with self._client().post(url, data=raw, headers=headers, allow_redirects=False) as r:
            await r.content.read(RESPONSE_CAP)
            return WebhookResponse(r.status, _retry_after(r.headers.get("Retry-After"), now))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    if value.strip().isascii() and value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    except (TypeError, ValueError):
        return None
