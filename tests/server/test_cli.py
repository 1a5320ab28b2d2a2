"""The command line, run as a newcomer would run it: a real process on a real SQLite file."""

import asyncio
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_aiohttp import AiohttpClient

ROOT = Path(__file__).parent.parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="the command line is exercised on its embedded SQLite default",
)


async def _run(*args: str, database: Path) -> tuple[int, str, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite://{database}", "LOG_LEVEL": "WARNING"}
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


async def test_help_lists_the_commands(tmp_path: Path) -> None:
    code, out, _ = await _run("--help", database=tmp_path / "db.sqlite3")

    assert code == 0
    for command in ("serve", "migrate", "create-user"):
        assert command in out


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
