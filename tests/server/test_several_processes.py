"""Serving from several processes, both ways the README gives: `server.py serve --workers 2`,
and gunicorn with two workers (`gunicorn -c python:issuetracker.gunicorn_conf`). Either way
every line the processes write is one JSON object, gunicorn's own included, and `/metrics`
counts the requests of all processes, whichever one answers it.

Which process answered a request shows in its `X-Request-Id`: a random prefix of the process's
own, then a count."""

import asyncio
import json
import os
import sys
from pathlib import Path

import aiohttp
import pytest

from ..notifications.conftest import free_port
from .processes import until_ready
from .unreachable import migrated_database

ROOT = Path(__file__).parent.parent.parent
PROCESS_PREFIX = 12
COMMANDS = {
    "serve": [sys.executable, str(ROOT / "server.py"), "serve", "--workers", "2"],
    "gunicorn": [
        sys.executable,
        *("-m", "gunicorn", "-c", "python:issuetracker.gunicorn_conf", "--workers", "2"),
    ],
}
QUERY = {"query": "{ viewer { name } }"}


@pytest.mark.parametrize("command", COMMANDS)
async def test_several_processes_log_json_and_report_each_others_requests(
    command: str, template_database: str, tmp_path: Path
) -> None:
    log_file = tmp_path / "server.log"
    async with migrated_database(template_database, tmp_path) as database:
        port = free_port()
        environment = {
            **os.environ,
            "DATABASE_URL": database.url,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "LOG_LEVEL": "INFO",
        }
        environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
        with log_file.open("w") as log:
            process = await asyncio.create_subprocess_exec(
                *COMMANDS[command], env=environment, cwd=tmp_path, stdout=log, stderr=log
            )
            try:
                # when GraphQL requests are sent until both processes have answered some
                base = f"http://127.0.0.1:{port}"
                await until_ready(port)
                answered_by = await _requests_until_two_processes_answer(base)

                # then /metrics, from either process, counts all of them
                scraped_by = await _scrapes_until_two_processes_answer(base, len(answered_by))
            finally:
                process.terminate()
                assert await asyncio.wait_for(process.wait(), 60) == 0
    assert len(set(answered_by)) == len(set(scraped_by)) == 2

    # and every line written, from start to stop, is a JSON object
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert all(isinstance(line, dict) and line["message"] for line in lines)
    loggers = {line["logger"] for line in lines}
    assert "issuetracker.http" in loggers
    if command == "gunicorn":
        assert "gunicorn.error" in loggers
        assert any(line["message"].startswith("Booting worker") for line in lines)
    assert not any("Tortoise-ORM shutdown" in line["message"] for line in lines)


async def _requests_until_two_processes_answer(base: str) -> list[str]:
    """The process that answered each request, in batches of concurrent connections."""
    answered_by: list[str] = []
    connector = aiohttp.TCPConnector(force_close=True)  # each request a connection of its own
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> str:
            async with session.post(f"{base}/graphql", json=QUERY) as response:
                assert response.status == 200
                return response.headers["X-Request-Id"][:PROCESS_PREFIX]

        # The second process may still be starting when the first answers: up to a minute.
        for _ in range(600):
            answered_by += await asyncio.gather(*(one() for _ in range(10)))
            if len(set(answered_by)) == 2:
                return answered_by
            await asyncio.sleep(0.1)
    raise AssertionError("one process answered every request")


async def _scrapes_until_two_processes_answer(base: str, requests: int) -> list[str]:
    scraped_by: list[str] = []
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(200):
            async with session.get(f"{base}/metrics") as response:
                text = await response.text()
                scraped_by.append(response.headers["X-Request-Id"][:PROCESS_PREFIX])
            assert _graphql_requests_counted(text) == requests
            if len(set(scraped_by)) == 2:
                return scraped_by
    raise AssertionError("one process answered every scrape")


def _graphql_requests_counted(metrics: str) -> float:
    return sum(
        float(line.rpartition(" ")[2])
        for line in metrics.splitlines()
        if line.startswith("issuetracker_requests_total{") and 'route="/graphql"' in line
    )
