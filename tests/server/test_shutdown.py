"""SIGTERM drains: a request whose body is still arriving gets its answer, WebSockets are closed
with 1001 ("going away") instead of holding the stop up, and the process exits well within the
drain period. A real `server.py serve` process, on a database of its own."""

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from ..notifications.conftest import free_port
from .processes import until_ready
from .unreachable import migrated_database

ROOT = Path(__file__).parent.parent.parent
DRAIN_SECONDS = 20
QUERY = json.dumps({"query": "{ viewer { name } }"}).encode()


@pytest.fixture
async def server(
    template_database: str, tmp_path: Path
) -> AsyncIterator[tuple[asyncio.subprocess.Process, int]]:
    """`server.py serve` in a process of its own, once it answers."""
    async with migrated_database(template_database, tmp_path) as database:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "MIGRATE_ON_START": "false",
            "DISPATCHER_IN_SERVER": "false",
            "SHUTDOWN_DRAIN_SECONDS": str(DRAIN_SECONDS),
            "LOG_LEVEL": "WARNING",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "server.py"), "serve", env=env, cwd=tmp_path
        )
        try:
            await until_ready(port)
            yield process, port
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


async def test_sigterm_answers_a_request_still_arriving_and_closes_websockets(
    server: tuple[asyncio.subprocess.Process, int],
) -> None:
    process, port = server
    async with aiohttp.ClientSession() as session:
        # given an open GraphQL WebSocket, and a request whose body is half sent
        socket = await session.ws_connect(
            f"http://127.0.0.1:{port}/graphql", protocols=["graphql-transport-ws"]
        )
        await socket.send_json({"type": "connection_init"})
        assert (await socket.receive_json(timeout=10))["type"] == "connection_ack"
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = (
            "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(QUERY)}\r\n\r\n"
        ).encode()
        writer.write(head + QUERY[:10])
        await writer.drain()
        await asyncio.sleep(0.5)  # the server has the headers and waits for the body

        # when the server is told to stop, and the rest of the body arrives a second later
        stopped_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        closing = await socket.receive(timeout=10)
        await asyncio.sleep(1.0)
        writer.write(QUERY[10:])
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout=15)
        writer.close()
        exit_code = await asyncio.wait_for(process.wait(), timeout=DRAIN_SECONDS)
        exited_after = time.monotonic() - stopped_at

    # then the WebSocket was closed as going away, the request was answered in full (and its
    # connection closed), and the process exited long before the drain period was over
    assert closing.type is aiohttp.WSMsgType.CLOSE
    assert closing.data == aiohttp.WSCloseCode.GOING_AWAY
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 200 OK", answer
    headers, _, body = rest.partition(b"\r\n\r\n")
    assert b"connection: close" in headers.lower()
    assert json.loads(body)["data"] == {"viewer": None}
    assert exit_code == 0
    assert exited_after < DRAIN_SECONDS / 2


async def test_the_stop_line_counts_only_the_websockets_still_open(
    template_database: str, tmp_path: Path
) -> None:
    async with migrated_database(template_database, tmp_path) as database:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "MIGRATE_ON_START": "false",
            "DISPATCHER_IN_SERVER": "false",
            "LOG_LEVEL": "INFO",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "server.py"),
            "serve",
            env=env,
            cwd=tmp_path,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await until_ready(port)
            # given three WebSockets opened, of which two were closed again
            async with aiohttp.ClientSession() as session:
                url = f"http://127.0.0.1:{port}/graphql"
                sockets = [
                    await session.ws_connect(url, protocols=["graphql-transport-ws"])
                    for _ in range(3)
                ]
                for socket in sockets[:2]:
                    await socket.close()

                # when the server is told to stop
                process.send_signal(signal.SIGTERM)
                await sockets[2].receive(timeout=10)
            assert process.stderr is not None
            lines = (await asyncio.wait_for(process.stderr.read(), timeout=30)).decode()
        finally:
            if process.returncode is None:
                process.kill()
            await process.wait()

    # then the line that says it stops counts the one still open
    stopping = [
        json.loads(line)
        for line in lines.splitlines()
        if line.startswith("{") and "stopping: answering" in line
    ]
    assert [line["websockets"] for line in stopping] == [1]
