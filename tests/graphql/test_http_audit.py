"""The `graphql-http` audit (the GraphQL over HTTP specification's own checks) against the
real server: no error and no warning. Needs Node.js; its two npm packages are pinned in
`http_audit/package-lock.json` and installed on first use, once for every test process
(CI runs the SQLite and PostgreSQL suites side by side)."""

import asyncio
import fcntl
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

AUDIT = Path(__file__).parent / "http_audit"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="the graphql-http audit runs on Node.js, which this machine lacks",
)


async def _run(*command: str, seconds: float) -> str:
    process = await asyncio.create_subprocess_exec(
        *command, cwd=AUDIT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    async with asyncio.timeout(seconds):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


def _install_once() -> None:
    with open(AUDIT / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (AUDIT / "node_modules" / "graphql-http" / "package.json").exists():
            command = ["npm", "ci", "--no-audit", "--no-fund"]
            subprocess.run(command, cwd=AUDIT, check=True, capture_output=True, timeout=300)  # noqa: S603


async def test_the_graphql_http_audit_finds_nothing(client: TestClient) -> None:
    await asyncio.to_thread(_install_once)

    report = json.loads(
        await _run("node", "audit.mjs", str(client.make_url("/graphql")), seconds=120)
    )

    assert report["problems"] == []
    assert report["counts"].get("ok", 0) >= 50
