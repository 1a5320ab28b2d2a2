"""The REST faces' issue objects that the database builds in one statement are, byte for byte,
the objects their Python reference renders, for every kind of viewer and every include, on a
world of varied data (people in several time zones among it)."""

import itertools
from pathlib import Path

import pytest

from issuetracker.models import Issue
from issuetracker.resolvers.core.actor import ANONYMOUS, Actor
from issuetracker.rest.connectnow import includes as connectnow
from issuetracker.rest.connectnow.issue_sql import issues_text as connectnow_text
from issuetracker.rest.kinetic import related as kinetic
from issuetracker.rest.kinetic.issue_sql import issues_text as kinetic_text
from issuetracker.sqljson.text import as_ascii_json, dumps

from ..world import World, seeded_world

INCLUDES = ["events", "categories", "categories.company"]


@pytest.fixture
async def world(database: None, tmp_path: Path) -> World:
    return await seeded_world(tmp_path)


def _viewers(world: World) -> list[Actor]:
    return [ANONYMOUS, *(person.actor for person in world.people.values())]


async def _issues(world: World) -> list[Issue]:
    """Every issue, hidden and deleted ones among them: the rules inside the objects (which
    categories, which companies, which addresses) still apply."""
    by_id = {issue.id: issue for issue in await Issue.filter(id__in=world.database_ids)}
    return [by_id[number] for number in reversed(world.database_ids)]


async def test_connectnow_issues_are_the_same_bytes(world: World) -> None:
    issues = await _issues(world)
    ids = [issue.id for issue in issues]
    combinations = [
        set(chosen) for size in range(4) for chosen in itertools.combinations(INCLUDES, size)
    ]
    for actor, wanted in itertools.product(_viewers(world), combinations):
        built = await connectnow_text(actor, ids, wanted)
        rendered = dumps(await connectnow.issues_json(actor, issues, wanted))
        assert as_ascii_json(built) == rendered, (actor.user_id, wanted)


async def test_kinetic_issues_are_the_same_bytes(world: World) -> None:
    issues = await _issues(world)
    for actor in _viewers(world):
        built = await kinetic_text(actor, [issue.id for issue in issues])
        assert built is not None
        rendered = dumps(await kinetic.issues_json(actor, issues))
        assert as_ascii_json(built) == rendered, actor.user_id
