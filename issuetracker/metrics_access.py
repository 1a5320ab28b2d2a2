"""Who may read `/metrics`: what it says (operation names, error counts, the outbox's backlog)
is for the operator, not the public internet.

With METRICS_TOKEN set, whoever sends `Authorization: Bearer <it>`, from anywhere. Without one,
only clients in METRICS_ALLOWED_NETWORKS (loopback by default): the peer, and every address a
proxy forwarded the request for (`X-Forwarded-For`, `X-Real-IP`), must be in them, so a request
a reverse proxy passes on from the internet is refused even when the proxy itself is local. A
request forwarded with `Forwarded` (RFC 7239), which is not read here, is refused too."""

import hmac
import ipaddress
from dataclasses import dataclass

from aiohttp import web

from .settings import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

REFUSED = (
    "Metrics are served to the networks METRICS_ALLOWED_NETWORKS names (loopback unless "
    "set), or with METRICS_TOKEN."
)


@dataclass(frozen=True)
class MetricsAccess:
    token: str | None
    networks: tuple[Network, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> "MetricsAccess":
        networks = tuple(
            ipaddress.ip_network(network, strict=False)
            for network in settings.metrics_allowed_networks
        )
        return cls(settings.metrics_token or None, networks)

    def check(self, request: web.Request) -> None:
        """Raises 401 (a token is needed and was not given) or 403 (not from an allowed
        network)."""
        if self.token is not None:
            if not _bears(request, self.token):
                raise web.HTTPUnauthorized(headers={"WWW-Authenticate": "Bearer"})
            return
        seen = _addresses_seen(request)
        if seen is None or not all(self._allows(address) for address in seen):
            raise web.HTTPForbidden(text=REFUSED)

    def _allows(self, address: Address) -> bool:
        return any(address in network for network in self.networks)


def _bears(request: web.Request, token: str) -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(given.encode(), token.encode())


def _addresses_seen(request: web.Request) -> list[Address] | None:
    """The peer's address and those proxies forwarded the request for; None when one of them
    cannot be read (or the request came through `Forwarded`)."""
    if "Forwarded" in request.headers:
        return None
    texts = [request.remote or ""]
    for header in ("X-Forwarded-For", "X-Real-IP"):
        for value in request.headers.getall(header, []):
            texts.extend(part.strip() for part in value.split(","))
    addresses = []
    for text in texts:
        try:
            address = ipaddress.ip_address(text.removeprefix("[").removesuffix("]"))
        except ValueError:
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        addresses.append(address)
    return addresses
