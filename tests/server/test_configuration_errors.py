"""A mistake in the settings, or a database that cannot be reached, is said in a line or two
naming the setting, what it got and what it accepts, and the command exits non-zero: no
traceback, and never a secret's value. Every command reads its settings the same way."""

from pathlib import Path

import pytest

from ..databases import TEST_DATABASE_URL
from .processes import run_command

pytestmark = pytest.mark.skipif(
    TEST_DATABASE_URL.startswith("postgres"),
    reason="the command line is exercised once, on the SQLite run",
)

STRONG_SECRET = "k" * 40
ENCRYPTION_KEY = "A" * 43  # 32 zero bytes, in URL-safe base64 without padding
SETTING_REFUSED = 2


@pytest.mark.parametrize(
    ("command", "settings", "said"),
    [
        pytest.param(
            "migrate",
            {"GRAPHQL_INTROSPECTION": "none"},
            ["GRAPHQL_INTROSPECTION: got 'none'; expected all, authenticated or off"],
            id="not one of the choices",
        ),
        pytest.param(
            "serve",
            {"PORT": "eighty"},
            ["PORT: got 'eighty'; expected a whole number from 1 to 65535"],
            id="not a number",
        ),
        pytest.param(
            "worker",
            {"TOKEN_LIFETIME_DAYS": "0", "LIVE_POLL_SECONDS": "0"},
            [
                "TOKEN_LIFETIME_DAYS: got '0'; expected a whole number of at least 1",
                "LIVE_POLL_SECONDS: got '0'; expected a number above 0",
            ],
            id="out of bounds, two at once",
        ),
        pytest.param(
            "migrate",
            {"DATABASE_URL": "mysql://root:hunter2@db.internal/issues"},
            [
                "DATABASE_URL: got 'mysql://root:***@db.internal/issues'; expected "
                "sqlite://PATH (sqlite://:memory: for a throwaway database) or "
                "postgres://USER:PASSWORD@HOST:PORT/DB"
            ],
            id="an unknown database",
        ),
        pytest.param(
            "create-user --email ada@example.com --name Ada",
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432"},
            [
                "DATABASE_URL: got 'postgres://postgres@127.0.0.1:5432'; expected "
                "sqlite://PATH (sqlite://:memory: for a throwaway database) or "
                "postgres://USER:PASSWORD@HOST:PORT/DB"
            ],
            id="no database named",
        ),
        pytest.param(
            "serve",
            {
                "ENVIRONMENT": "production",
                "SECRET_KEY": "hunter2",
                "PUBLIC_URL": "https://issues.example.com",
                "ENCRYPTION_KEYS": ENCRYPTION_KEY,
            },
            [
                "SECRET_KEY: got 7 characters; production needs a random value of at least "
                "32 characters"
            ],
            id="a short secret in production",
        ),
        pytest.param(
            "serve",
            {
                "ENVIRONMENT": "production",
                "SECRET_KEY": STRONG_SECRET,
                "ENCRYPTION_KEYS": ENCRYPTION_KEY,
            },
            [
                "PUBLIC_URL: got the default http://127.0.0.1:8080; production needs the "
                "address people reach the server at (links in e-mails are built from it)"
            ],
            id="the default public URL in production",
        ),
        pytest.param(
            "migrate",
            {
                "ENVIRONMENT": "production",
                "SECRET_KEY": STRONG_SECRET,
                "PUBLIC_URL": "https://issues.example.com",
                "PASSWORD_HASHING": "cheapest",
                "ENCRYPTION_KEYS": ENCRYPTION_KEY,
            },
            [
                "PASSWORD_HASHING: got cheapest; production needs rfc_9106_low_memory or "
                "rfc_9106_high_memory"
            ],
            id="test hashing in production",
        ),
        pytest.param(
            "serve",
            {
                "ENVIRONMENT": "production",
                "SECRET_KEY": STRONG_SECRET,
                "PUBLIC_URL": "https://issues.example.com",
            },
            ["ENCRYPTION_KEYS: got none; production needs at least one key of its own"],
            id="no encryption key in production",
        ),
        pytest.param(
            "migrate",
            {"ENCRYPTION_KEYS": f"{ENCRYPTION_KEY},hunter2"},
            ["ENCRYPTION_KEYS: got 2 values; key 2 is not 32 bytes in URL-safe base64"],
            id="a malformed encryption key",
        ),
    ],
)
async def test_a_setting_that_does_not_fit_is_one_plain_line_each(
    tmp_path: Path, command: str, settings: dict[str, str], said: list[str]
) -> None:
    # when a command starts with a setting that does not fit
    finished = await run_command(*command.split(), cwd=tmp_path, **settings)

    # then it says which, what it got and what it accepts, and exits without doing anything
    assert finished.code == SETTING_REFUSED
    assert finished.err.splitlines() == said
    assert finished.out == ""
    assert "hunter2" not in finished.err
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("command", "database_url", "said"),
    [
        pytest.param(
            ["migrate"],
            "postgres://nobody:hunter2@127.0.0.1:1/issues",
            "DATABASE_URL: cannot reach postgres://nobody:***@127.0.0.1:1/issues: "
            "ConnectionRefusedError: ",
            id="nothing listens",
        ),
        pytest.param(
            ["migrate", "--check"],
            "postgres://nobody@127.0.0.1:1/issues",
            "DATABASE_URL: cannot reach postgres://nobody@127.0.0.1:1/issues: "
            "ConnectionRefusedError: ",
            id="checked, nothing listens",
        ),
        pytest.param(
            ["create-user", "--email", "ada@example.com", "--name", "Ada"],
            "sqlite://{tmp}/notes.txt",
            "DATABASE_URL: cannot use sqlite://{tmp}/notes.txt: file is not a database",
            id="not a SQLite file",
        ),
    ],
)
async def test_a_database_that_cannot_be_used_is_one_plain_line(
    tmp_path: Path, command: list[str], database_url: str, said: str
) -> None:
    # given a database URL of the right form that leads nowhere usable
    (tmp_path / "notes.txt").write_text("Not a database, " * 100)
    url = database_url.format(tmp=tmp_path)

    # when a command needs the database
    finished = await run_command(*command, cwd=tmp_path, DATABASE_URL=url)

    # then it says which database could not be used and why, in one line
    assert finished.code == 1
    assert len(finished.err.splitlines()) == 1, finished.err
    assert finished.err.startswith(said.format(tmp=tmp_path)), finished.err
    assert "hunter2" not in finished.err
    assert "pending" not in finished.out
