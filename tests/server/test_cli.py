"""The command line, run as a newcomer would run it: a real process on a real SQLite file. It
says what each command does, where it serves, and why it cannot do what it was asked."""

import asyncio
import hashlib
import json
import os
import socket
import sqlite3
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pytest_aiohttp import AiohttpClient

from issuetracker import encryption
from issuetracker.encryption import Keyring

from ..notifications.conftest import free_port
from .processes import run_command

ROOT = Path(__file__).parent.parent.parent
COMMANDS = [
    "serve",
    "migrate",
    "worker",
    "create-user",
    "register-documents",
    "rotate-encryption-key",
]

pytestmark = pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="the command line is exercised on its embedded SQLite default",
)


CREATE_WEBHOOK = 'mutation { createWebhook(input: {url: "http://127.0.0.1:9/h"}) { secret } }'


async def _run(*args: str, database: Path, keys: str = "") -> tuple[int, str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{database}",
        "LOG_LEVEL": "WARNING",
        "ENCRYPTION_KEYS": keys,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_help_describes_every_command_and_where_the_settings_are(tmp_path: Path) -> None:
    # when the help of the program and of each command is asked for
    pages = {
        command: await run_command(*command.split(), "--help", cwd=tmp_path)
        for command in ["", *COMMANDS]
    }

    # then each page says what the command does, describes its arguments and points to the
    # settings' reference
    assert all(page.code == 0 for page in pages.values())
    for command in COMMANDS:
        assert command in pages[""].out
    for command, page in pages.items():
        text = " ".join(page.out.split())
        assert "Every setting, with its default and meaning, is listed in README.md" in text
        assert "section Configuration" in text, command
    create_user = " ".join(pages["create-user"].out.split())
    assert "--email ADDRESS the user's e-mail address" in create_user
    assert "--name NAME the name shown to other people" in create_user
    assert "--password PASSWORD a password for `login`" in create_user
    register = " ".join(pages["register-documents"].out.split())
    assert "FOLDER the folder holding the documents" in register


async def test_create_user_prints_a_working_token_last(
    tmp_path: Path, aiohttp_client: AiohttpClient
) -> None:
    database = tmp_path / "db.sqlite3"
    assert (await _run("migrate", database=database))[0] == 0

    code, out, err = await _run(
        "create-user", "--email", "Ada@Example.com", "--name", "Ada", database=database
    )

    assert code == 0, err
    token = out.strip().splitlines()[-1]
    assert token.startswith("itk_")
    assert await _viewer_email(database, token, aiohttp_client) == "ada@example.com"


async def test_create_user_refuses_a_taken_address(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    await _run("create-user", "--email", "ada@example.com", "--name", "Ada", database=database)

    code, out, err = await _run(
        "create-user", "--email", "ada@example.com", "--name", "Ada", database=database
    )

    assert code == 1
    assert "email" in err
    assert "itk_" not in out


async def test_rotate_encryption_key_moves_every_secret_to_the_first_key(
    tmp_path: Path, aiohttp_client: AiohttpClient
) -> None:
    # given a webhook whose secret was stored under an old key
    database, old, new = tmp_path / "db.sqlite3", "A" * 43, "B" * 43
    code, out, err = await _run(
        "create-user", "--email", "ada@example.com", "--name", "Ada", database=database, keys=old
    )
    assert code == 0, err
    token = out.strip().splitlines()[-1]
    secret = await _create_webhook(database, old, token, aiohttp_client)

    # when the new key goes first and the command runs, twice
    first = await _run("rotate-encryption-key", database=database, keys=f"{new},{old}")
    again = await _run("rotate-encryption-key", database=database, keys=f"{new},{old}")

    # then it moved the one secret, then had nothing left to move
    assert first[0] == 0, first[2]
    assert "webhooks.secret: 1 re-encrypted" in first[1]
    assert "webhooks.secret: 0 re-encrypted" in again[1]
    # and the new key alone opens it
    encryption.install(Keyring.of([new], ""))
    with sqlite3.connect(database) as connection:
        [(stored,)] = connection.execute("SELECT secret FROM webhooks").fetchall()
    assert encryption.decrypt(stored, "webhooks.secret") == secret


async def _create_webhook(
    database: Path, keys: str, token: str, aiohttp_client: AiohttpClient
) -> str:
    from issuetracker.server import create_app
    from issuetracker.settings import Settings

    settings = Settings(
        database_url=f"sqlite://{database}",
        encryption_keys=[keys],
        webhook_allowed_hosts=["127.0.0.1:9"],
        _env_file=None,
    )
    client = await aiohttp_client(create_app(settings))
    response = await client.post(
        "/graphql",
        json={"query": CREATE_WEBHOOK},
        headers={"Authorization": f"Bearer {token}"},
    )
    secret: str = (await response.json())["data"]["createWebhook"]["secret"]
    await client.close()
    return secret


async def _viewer_email(database: Path, token: str, aiohttp_client: AiohttpClient) -> str:
    from issuetracker.server import create_app
    from issuetracker.settings import Settings

    settings = Settings(database_url=f"sqlite://{database}", _env_file=None)
    client = await aiohttp_client(create_app(settings))
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { email } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    return (await response.json())["data"]["viewer"]["email"]


async def test_register_documents_registers_each_file_by_its_hash(
    tmp_path: Path, aiohttp_client: AiohttpClient
) -> None:
    database = tmp_path / "db.sqlite3"
    documents = tmp_path / "documents"
    (documents / "screens").mkdir(parents=True)
    query = "query Companies { companies(first: 5) { nodes { name } } }"
    (documents / "screens" / "companies.graphql").write_text(query)
    sha256 = hashlib.sha256(query.encode()).hexdigest()

    code, out, err = await _run("register-documents", str(documents), database=database)

    assert code == 0, err
    assert out.split() == [sha256, str(documents / "screens" / "companies.graphql")]
    assert await _answer_by_hash(database, sha256, aiohttp_client) == {"companies": {"nodes": []}}


async def test_register_documents_refuses_a_folder_with_an_invalid_document(
    tmp_path: Path,
) -> None:
    database = tmp_path / "db.sqlite3"
    (tmp_path / "good.graphql").write_text("{ companies { totalCount } }")
    (tmp_path / "bad.graphql").write_text("{ noSuchField }")

    code, out, err = await _run("register-documents", str(tmp_path), database=database)

    assert code == 1
    assert "bad.graphql: Cannot query field 'noSuchField' on type 'Query'." in err
    assert out == ""


@pytest.mark.parametrize(
    ("folder", "said"),
    [
        pytest.param("missing", "register-documents: {folder} does not exist", id="missing"),
        pytest.param("empty", "register-documents: no .graphql file under {folder}", id="empty"),
        pytest.param(
            "notes.txt", "register-documents: {folder} is a file, not a folder", id="file"
        ),
    ],
)
async def test_register_documents_refuses_a_folder_without_documents(
    tmp_path: Path, folder: str, said: str
) -> None:
    # given a folder that does not exist, one with no .graphql file, and a file
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("Queries go here.")
    (tmp_path / "notes.txt").write_text("{ companies { totalCount } }")
    database = tmp_path / "db.sqlite3"

    # when its documents are registered
    code, out, err = await _run("register-documents", str(tmp_path / folder), database=database)

    # then the command says so and fails, registering nothing
    assert code == 1
    assert err.splitlines() == [said.format(folder=tmp_path / folder)]
    assert out == ""
    assert not database.exists()


async def _answer_by_hash(
    database: Path, sha256: str, aiohttp_client: AiohttpClient
) -> dict[str, Any]:
    from issuetracker.server import create_app
    from issuetracker.settings import Settings

    settings = Settings(
        database_url=f"sqlite://{database}", persisted_queries_only=True, _env_file=None
    )
    client = await aiohttp_client(create_app(settings))
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256}}
    response = await client.post("/graphql", json={"extensions": extensions})
    data: dict[str, Any] = (await response.json())["data"]
    return data


async def test_serve_says_first_where_it_listens_and_where_graphiql_is(tmp_path: Path) -> None:
    # given a port of its own, and the address people reach it at
    port = free_port()
    settings = {
        "PORT": str(port),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite://{tmp_path}/db.sqlite3",
        "LOG_LEVEL": "INFO",
    }

    # when the server starts
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        env={**os.environ, **settings},
        cwd=tmp_path,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        first = json.loads(await asyncio.wait_for(process.stderr.readline(), 60))
        async with aiohttp.ClientSession() as session:
            page = await session.get(first["graphiql"], headers={"Accept": "text/html"})
            text = await page.text()
    finally:
        process.terminate()
        await process.wait()

    # then its first log line says where, and GraphiQL is there
    assert first["level"] == "info"
    assert first["message"] == (
        f"serving http://127.0.0.1:{port} (GraphiQL: http://127.0.0.1:{port}/graphql)"
    )
    assert first["graphiql"] == f"http://127.0.0.1:{port}/graphql"
    assert page.status == 200
    assert "graphiql" in text.lower()


async def test_serve_on_a_taken_port_says_so_before_touching_the_database(
    tmp_path: Path,
) -> None:
    # given a port another process listens on
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]

        # when the server is started on it
        finished = await run_command(
            "serve", cwd=tmp_path, PORT=str(port), DATABASE_URL=f"sqlite://{tmp_path}/db.sqlite3"
        )

    # then it says which setting to change, in one line, and has not migrated anything
    assert finished.code == 1
    assert finished.err.splitlines() == [
        f"PORT: 127.0.0.1:{port} is taken by another process; set PORT (and PUBLIC_URL) to "
        "serve on another port"
    ]
    assert not (tmp_path / "db.sqlite3").exists()
