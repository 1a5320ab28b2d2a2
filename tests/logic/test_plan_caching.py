"""PostgreSQL plans each statement the server sends once, and keeps the plan (`db.SERVER_SETTINGS`):
the statements are built with their values as parameters, and some were planned again at every
execution, which cost more than running them."""

from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from issuetracker.db import tortoise_config
from issuetracker.sqljson.statements import fetch_row

from ..databases import TEST_DATABASE_URL, empty_database_url


@pytest.mark.skipif(not TEST_DATABASE_URL.startswith("postgres"), reason="PostgreSQL's plans")
async def test_the_server_s_connections_keep_generic_plans(tmp_path: Path) -> None:
    async with empty_database_url(tmp_path, "plans") as url, TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        try:
            assert await fetch_row("SHOW plan_cache_mode", []) == ("force_generic_plan",)
        finally:
            await context.close_connections()
