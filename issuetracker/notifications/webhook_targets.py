"""Where a webhook may point: public http(s) addresses only, unless a host:port is allowed."""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
}


class UnsafeUrl(ValueError):
    pass


def host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    # A trailing dot names the same host ("localhost." is localhost).
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        raise UnsafeUrl("The url must be a valid http or https URL.")
    if parts.username or parts.password:
        raise UnsafeUrl("The url may not carry credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as bad_port:
        raise UnsafeUrl("The url has an invalid port.") from bad_port
    return host, port


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_address(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, host_port: str, allowed: set[str]
) -> None:
    if address in METADATA_ADDRESSES:
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


async def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        # An unresolvable name cannot reach anything now; delivery checks it again.
        return []
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
