"""The `graphql-http` audit (the GraphQL over HTTP specification's own checks) against the
real server: no error and no warning. Needs Node.js; its two npm packages are pinned in
`http_audit/package-lock.json` and installed on first use."""

import asyncio
import json
import shutil
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


async def test_the_graphql_http_audit_finds_nothing(client: TestClient) -> None:
    if not (AUDIT / "node_modules" / "graphql-http").exists():
        await _run("npm", "ci", "--no-audit", "--no-fund", seconds=300)

    report = json.loads(
        await _run("node", "audit.mjs", str(client.make_url("/graphql")), seconds=120)
    )

    assert report["problems"] == []
    assert report["counts"].get("ok", 0) >= 50
