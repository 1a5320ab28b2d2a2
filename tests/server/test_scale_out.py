"""Scale-out, proven on PostgreSQL: two `server.py serve` processes and two `server.py worker`
processes over one database and one bucket, as two machines behind a load balancer would run.
Writes go through both servers; every webhook message is delivered, none twice; limits are
shared; a file uploaded through one server is read through the other; a change made through
one server reaches a live subscriber of the other."""

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from ..databases import TEST_DATABASE_URL
from ..graphql.upload_helpers import UPLOAD
from ..notifications.conftest import Receiver, free_port, receiver
from ..storages import Bucket, bucket, s3_endpoint
from .processes import until_ready
from .unreachable import migrated_database

__all__ = ["bucket", "receiver", "s3_endpoint"]

ROOT = Path(__file__).parent.parent.parent
ISSUES = 10

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgres"),
    reason="several processes over one database is the PostgreSQL deployment",
)

CREATE_COMPANY = 'mutation { createCompany(input: {name: "Acme"}) { company { id } } }'
CREATE_CATEGORY = """mutation ($c: ID!) {
  createCategory(input: {companyId: $c, name: "IT"}) { category { id } }
}"""
CREATE_ISSUE = """mutation ($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { id } errors { code message } }
}"""
ADD_EVENT = """mutation ($i: ID!, $d: String!) {
  addIssueEvent(input: {issueId: $i, description: $d}) { event { id } }
}"""
LOGIN = """mutation ($input: LoginInput!) {
  login(input: $input) { apiToken { secret } errors { code } }
}"""
EVENTS = "subscription ($i: ID!) { issueEvents(issueId: $i) { description } }"


async def _process(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )


@asynccontextmanager
async def running(env: dict[str, str], *args: str) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await _process(env, *args)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


class Server:
    def __init__(self, session: aiohttp.ClientSession, port: int, token: str) -> None:
        self.session, self.port, self.token = session, port, token

    async def graphql(self, query: str, token: str | None = None, **variables: Any) -> dict:
        headers = {"Authorization": f"Bearer {token or self.token}"} if token != "" else {}
        body = {"query": query, "variables": variables}
        url = f"http://127.0.0.1:{self.port}/graphql"
        async with self.session.post(url, json=body, headers=headers) as answer:
            return await answer.json()

    async def upload(self, issue_id: str, content: bytes) -> str:
        """The uploaded file's url, by the GraphQL multipart request spec."""
        variables = {"input": {"issueId": issue_id, "file": None}}
        form = aiohttp.FormData(quote_fields=False)
        operations = json.dumps({"query": UPLOAD, "variables": variables})
        form.add_field("operations", operations, content_type="application/json")
        form.add_field("map", json.dumps({"0": ["variables.input.file"]}))
        form.add_field("0", content, filename="notes.txt", content_type="text/plain")
        url = f"http://127.0.0.1:{self.port}/graphql"
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.post(url, data=form, headers=headers) as answer:
            body = await answer.json()
        assert "errors" not in body, body
        return str(body["data"]["uploadIssueFile"]["upload"]["url"])

    async def data(self, query: str, **variables: Any) -> dict:
        body = await self.graphql(query, **variables)
        assert "errors" not in body, body
        return body["data"]


async def test_two_servers_and_two_workers_share_everything(
    template_database: str, tmp_path: Path, receiver: Receiver, bucket: Bucket
) -> None:
    async with (
        migrated_database(template_database, tmp_path) as database,
        AsyncExitStack() as stack,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "MIGRATE_ON_START": "false",
            "DISPATCHER_IN_SERVER": "false",
            "WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{receiver.port}",
            "LOGIN_FAILURES_PER_ADDRESS": "3",
            "LOG_LEVEL": "WARNING",
            "WORKER_METRICS_PORT": "0",  # two workers on one machine
            "UPLOAD_STORAGE": bucket.settings["upload_storage"],
            "UPLOAD_S3_ENDPOINT_URL": bucket.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
        }
        made = await _process(
            env,
            "create-user",
            "--email",
            "ops@example.com",
            "--name",
            "Ops",
            "--password",
            "correct horse battery staple",
        )
        out, _ = await made.communicate()
        token = out.decode().strip().splitlines()[-1]
        ports = [free_port(), free_port()]
        for port in ports:
            await stack.enter_async_context(running({**env, "PORT": str(port)}, "serve"))
        for _ in range(2):
            await stack.enter_async_context(running(env, "worker"))
        session = await stack.enter_async_context(aiohttp.ClientSession())
        for port in ports:
            await until_ready(port)
        first, second = (Server(session, port, token) for port in ports)

        # given a company made through one server and its category through the other
        company = (await first.data(CREATE_COMPANY))["createCompany"]["company"]["id"]
        category = (await second.data(CREATE_CATEGORY, c=company))["createCategory"]["category"]
        issue_ids = []

        # when issues with a webhook are created through both, alternately
        for number in range(ISSUES):
            server = (first, second)[number % 2]
            draft = {
                "name": f"Issue {number}",
                "description": "-",
                "categoryIds": [category["id"]],
                "webhookUrl": receiver.url,
            }
            created = await server.data(CREATE_ISSUE, input=draft)
            issue_ids.append(created["createIssue"]["issue"]["id"])

        # then the workers deliver every message, and none twice
        async with asyncio.timeout(60):
            while len(receiver.requests) < ISSUES:  # noqa: ASYNC110 (another process delivers)
                await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # a second delivery of any would show by now
        ids = [request["headers"]["webhook-id"] for request in receiver.requests]
        assert len(ids) == len(set(ids)) == ISSUES
        names = {
            json.loads(request["body"])["data"]["issue"]["name"] for request in receiver.requests
        }
        assert names == {f"Issue {number}" for number in range(ISSUES)}

        # and sign-in limits count across servers: 3 wrong passwords, then refused anywhere
        wrong = {"input": {"email": "ops@example.com", "password": "wrong password!"}}
        for server in (first, second, first):
            await server.graphql(LOGIN, token="", **wrong)
        limited = await second.graphql(LOGIN, token="", **wrong)
        assert limited["errors"][0]["extensions"]["code"] == "RATE_LIMITED"

        # and a file uploaded through one server is read through the other
        url = await first.upload(issue_ids[0], b"shared by both machines")
        async with session.get(
            f"http://127.0.0.1:{second.port}{urlsplit(url).path}",
            headers={"Authorization": f"Bearer {token}"},
        ) as download:
            assert download.status == 200
            assert await download.read() == b"shared by both machines"

        # and a note added through one server reaches a subscriber of the other
        url = f"http://127.0.0.1:{first.port}/graphql"
        async with session.ws_connect(url, protocols=["graphql-transport-ws"]) as socket:
            await socket.send_json(
                {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
            )
            assert (await socket.receive_json(timeout=10))["type"] == "connection_ack"
            payload = {"query": EVENTS, "variables": {"i": issue_ids[0]}}
            await socket.send_json({"id": "1", "type": "subscribe", "payload": payload})
            await asyncio.sleep(1.0)  # the subscription is listening
            await second.data(ADD_EVENT, i=issue_ids[0], d="Seen from the other side")
            message = await socket.receive_json(timeout=10)
        assert (
            message["payload"]["data"]["issueEvents"]["description"] == "Seen from the other side"
        )
