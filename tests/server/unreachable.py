"""A database the test can make unreachable and bring back, for real.

PostgreSQL is reached through a TCP proxy on loopback: cutting it resets every connection the
server holds and refuses new ones (as a restarting server or a lost network does), restoring it
listens again. SQLite lives in a directory the test moves away (as an unmounted volume) and
back: opening the file fails meanwhile with "unable to open database file". (As root, the
tests' usual user here, taking the file's permissions away would change nothing.)"""

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from issuetracker import db

from ..databases import TEST_DATABASE_URL, _administer, drop_database


class TcpProxy:
    """Pipes connections on a loopback port to a target, until cut."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._pipes: set[asyncio.Task[None]] = set()

    async def listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """Refuses new connections and resets the open ones."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        pipes = [
            asyncio.create_task(_copy(reader, up_writer)),
            asyncio.create_task(_copy(up_reader, writer)),
        ]
        self._pipes.update(pipes)
        for pipe in pipes:
            pipe.add_done_callback(self._pipes.discard)


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (OSError, asyncio.CancelledError):
        pass
    finally:
        writer.transport.abort()


class Reachability:
    """`url` is what the server is configured with; `cut` and `restore` toggle it."""

    def __init__(self, url: str, proxy: TcpProxy | None, directory: Path | None) -> None:
        self.url = url
        self.proxy = proxy
        self.directory = directory

    @property
    def can_cut_a_live_connection(self) -> bool:
        """SQLite keeps the file it opened: only opening it again fails."""
        return self.proxy is not None

    async def cut(self) -> None:
        if self.proxy is not None:
            await self.proxy.cut()
        elif self.directory is not None:
            self.directory.rename(self._away)

    async def restore(self) -> None:
        if self.proxy is not None:
            await self.proxy.listen()
        elif self.directory is not None:
            self._away.rename(self.directory)

    @property
    def _away(self) -> Path:
        assert self.directory is not None
        return self.directory.with_name(self.directory.name + "-away")


def migrated_template(directory: Path) -> str:
    """A migrated database to copy for each test (migrating takes seconds): a file in
    `directory`, or a PostgreSQL database. Run outside any event loop."""
    if not TEST_DATABASE_URL.startswith("postgres"):
        url = f"sqlite://{directory}/template.sqlite3"
    else:
        url = f"{_server_of(TEST_DATABASE_URL)}/issuetracker_template_{uuid.uuid4().hex}"
        asyncio.run(_administer(url, f'CREATE DATABASE "{_name_of(url)}"'))
    asyncio.run(db.apply_migrations(url))
    return url


def drop_template(url: str) -> None:
    if url.startswith("postgres"):
        asyncio.run(drop_database(url))


@asynccontextmanager
async def migrated_database(template: str, tmp_path: Path) -> AsyncIterator[Reachability]:
    """A copy of the migrated template that the test can cut off."""
    if not template.startswith("postgres"):
        directory = tmp_path / "volume"
        directory.mkdir()
        shutil.copy(template.removeprefix("sqlite://"), directory / "issuetracker.sqlite3")
        yield Reachability(f"sqlite://{directory}/issuetracker.sqlite3", None, directory)
        return
    url = f"{_server_of(template)}/issuetracker_outage_{uuid.uuid4().hex}"
    await _administer(url, f'CREATE DATABASE "{_name_of(url)}" TEMPLATE "{_name_of(template)}"')
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.listen()
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    try:
        yield Reachability(urlunsplit(parts._replace(netloc=netloc)), proxy, None)
    finally:
        await proxy.cut()
        await drop_database(url)


def _server_of(url: str) -> str:
    return url.replace("{}", "").rstrip("/_").rpartition("/")[0]


def _name_of(url: str) -> str:
    return url.rpartition("/")[2]
