"""Where a webhook may point: public http(s) addresses only, unless a host:port is allowed."""

import asyncio
import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
}


class UnsafeUrl(ValueError):
    pass


def _host(parts: SplitResult) -> str:
    # A trailing dot names the same host ("localhost." is localhost).
    return (parts.hostname or "").lower().rstrip(".")


def host_of(url: str) -> str:
    """The URL's host, as `host_and_port` reads it; "" for none."""
    try:
        return _host(urlsplit(url))[:255]
    except ValueError:
        return ""


def host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host = _host(parts)
    if parts.scheme not in ("http", "https") or not host:
        raise UnsafeUrl("The url must be a valid http or https URL.")
    if parts.username or parts.password:
        raise UnsafeUrl("The url may not carry credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as bad_port:
        raise UnsafeUrl("The url has an invalid port.") from bad_port
    return host, port


EMBEDDING_IPV4 = [
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64's well-known prefix (RFC 6052)
    ipaddress.ip_network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765)
    ipaddress.ip_network("::/96"),  # IPv4-compatible, long deprecated (RFC 4291)
]
"""IPv6 networks whose last 32 bits are an IPv4 address a gateway (or the host) reaches."""
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")
"""NAT64 prefixes of a network's own (RFC 8215): where the IPv4 address sits depends on the
prefix length chosen there, so none of it counts as public."""

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one leads to: mapped, 6to4, Teredo's client, NAT64, ..."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in network for network in EMBEDDING_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # the IPv4 address itself, as a dual stack sees it
            return is_public_address(address.ipv4_mapped)
        if address in LOCAL_NAT64:
            return False
        embedded = embedded_ipv4(address)
        if embedded is not None and not is_public_address(embedded):
            return False
    return address.is_global and not address.is_multicast


def check_address(address: Address, host_port: str, allowed: set[str]) -> None:
    embedded = embedded_ipv4(address) if isinstance(address, ipaddress.IPv6Address) else None
    if address in METADATA_ADDRESSES or embedded in METADATA_ADDRESSES:
        raise UnsafeUrl("The url points at a cloud metadata address.")
    if host_port not in allowed and not is_public_address(address):
        raise UnsafeUrl("The url points at a private, loopback or link-local address.")


async def ensure_public_url(url: str, allowed_hosts: list[str]) -> None:
    """Checked when saved and again before each connection, so DNS rebinding is caught too."""
    host, port = host_and_port(url)
    allowed = {entry.lower() for entry in allowed_hosts}
    host_port = f"{host}:{port}"
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        check_address(literal, host_port, allowed)
        return
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        if host_port not in allowed:
            raise UnsafeUrl("The url points at a private, loopback or link-local address.")
        return
    for address in await _resolve(host, port):
        check_address(address, host_port, allowed)


async def _resolve(host: str, port: int) -> list[Address]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        # An unresolvable name cannot reach anything now; delivery checks it again.
        return []
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
