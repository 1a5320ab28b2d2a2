"""The committed migrations build the schema the models describe, and keep every row."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.context import tortoise_test_context
from tortoise.migrations.api import migrate
from tortoise.migrations.autodetector import MigrationAutodetector

from issuetracker import db
from issuetracker.clock import utcnow
from issuetracker.models import (
    Category,
    Company,
    Issue,
    IssueCategory,
    IssueEvent,
    IssueParticipant,
    IssueTag,
    Membership,
    Subscription,
    User,
    Webhook,
)
from issuetracker.resolvers.actor import Actor

from .databases import empty_database_url
from .support import make_category, make_company, make_issue, make_person

FIRST_MIGRATION = "models.0001_initial"
KEPT_MODELS = [
    User,
    Company,
    Membership,
    Category,
    Issue,
    IssueCategory,
    IssueParticipant,
    IssueTag,
    IssueEvent,
    Webhook,
    Subscription,
]


@pytest.fixture
async def empty_database(tmp_path: Path) -> AsyncIterator[str]:
    async with empty_database_url(tmp_path, "migrations") as url:
        yield url


async def _load_data_with_links() -> None:
    owner = await make_person("Olive Owner")
    participant = await make_person("Pat Participant")
    company = await make_company(owner)
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    issue = await make_issue(owner, network, printers, tags=["outage", "floor-2"])
    await IssueParticipant.create(issue=issue, user=participant.user)
    await Webhook.create(user=owner.user, url="https://hooks.example.com/a", secret="whsec_x")
    await Subscription.create(email="reader@example.com", issue=issue, confirmed_at=utcnow())
    await Subscription.create(email="reader@example.com", category=network)
    assert Actor(owner.user).is_authenticated


async def _row_counts() -> dict[str, int]:
    return {model.__name__: await model.all().count() for model in KEPT_MODELS}


async def test_migrating_to_the_latest_keeps_every_row_and_link(empty_database: str) -> None:
    # given a database at the first migration, holding data with many-to-many links
    await migrate(config=db.tortoise_config(empty_database), target=FIRST_MIGRATION)
    await Tortoise.close_connections()
    await db.open_database(empty_database)
    try:
        await _load_data_with_links()
        before = await _row_counts()
    finally:
        await db.close_database()

    # when every later migration is applied
    await db.apply_migrations(empty_database)

    # then nothing was lost
    await db.open_database(empty_database)
    try:
        assert await _row_counts() == before
        assert before["IssueCategory"] == 2
        assert before["IssueTag"] == 2
        assert before["IssueParticipant"] == 2
    finally:
        await db.close_database()


async def test_the_committed_migrations_match_the_models() -> None:
    async with tortoise_test_context(db.MODEL_MODULES) as context:
        apps_config = db.tortoise_config("sqlite://:memory:")["apps"]
        changes = await MigrationAutodetector(context.apps, apps_config).changes()

    assert changes == [], "models changed: run `tortoise makemigrations` and commit the result"
