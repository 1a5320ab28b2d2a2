"""`migrate` as an operator runs it, in real processes, on an empty database of the suite's
engine: it says what it applies, `--check` tells whether anything is pending, and processes
started together never migrate at once."""

import asyncio
import os
import sys
from pathlib import Path

from ..databases import empty_database_url

ROOT = Path(__file__).parent.parent.parent
FIRST = "models.0001_initial"


async def _migrate(database_url: str, *args: str) -> tuple[int, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        "migrate",
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


async def test_check_fails_while_migrations_are_pending_and_migrate_says_what_it_applies(
    tmp_path: Path,
) -> None:
    async with empty_database_url(tmp_path, "check") as url:
        # given an empty database, when it is checked, migrated and checked again
        before = await _migrate(url, "--check")
        applied = await _migrate(url)
        after = await _migrate(url, "--check")

    # then the first check lists what is pending and fails, migrate names each migration it
    # applies, and the second check passes
    assert before[0] == 1
    assert f"pending {FIRST}" in before[1].splitlines()
    assert applied[0] == 0
    assert f"applied {FIRST}" in applied[1].splitlines()
    assert after == (0, "the database is up to date\n")


async def test_processes_migrating_together_apply_each_migration_once(tmp_path: Path) -> None:
    async with empty_database_url(tmp_path, "race") as url:
        # when three processes migrate one empty database at the same moment
        results = await asyncio.gather(*(_migrate(url) for _ in range(3)))
        check = await _migrate(url, "--check")

    # then all succeed, one of them applied everything, and nothing is pending
    assert [code for code, _ in results] == [0, 0, 0], results
    applied = [out for _, out in results if f"applied {FIRST}" in out]
    assert len(applied) == 1, results
    assert check[0] == 0
