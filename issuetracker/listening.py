"""The server's sockets, bound before the app starts: a taken port is said at once, before
any migration, and the first line logged says where the server is."""

import logging
import socket

from .settings import Settings

log = logging.getLogger("issuetracker.serving")

BACKLOG = 128
"""Connections the kernel holds until they are accepted (aiohttp's default): those made while
the app starts wait for it rather than being refused."""


def listen(host: str, port: int, *, reuse_port: bool) -> list[socket.socket]:
    """A listening socket for each address HOST names, as asyncio's `create_server` would
    make them (several processes share them with `reuse_port`)."""
    found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    try:
        for family, kind, protocol, _, address in dict.fromkeys(found):
            bound = socket.socket(family, kind, protocol)
            sockets.append(bound)
            bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if reuse_port:
                bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            if family == socket.AF_INET6:  # as asyncio does: IPv4 gets its own socket
                bound.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            bound.bind(address)
            bound.listen(BACKLOG)
            bound.setblocking(False)
    except OSError:
        for bound in sockets:
            bound.close()
        raise
    return sockets


def announce(settings: Settings, processes: int = 1) -> None:
    """Where the server listens and where people reach it, GraphiQL too, in one line."""
    listening = f"http://{_in_url(settings.host)}:{settings.port}"
    public = settings.public_url.rstrip("/")
    graphiql = f"{public}/graphql"
    said = f"serving {listening}"
    if public != listening:
        said += f", reached at {public}"
    if processes > 1:
        said += f" with {processes} processes"
    log.info(
        "%s (GraphiQL: %s)",
        said,
        graphiql,
        extra={"listening": listening, "public_url": public, "graphiql": graphiql},
    )


def _in_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host
