"""What the ConnectNow issue test modules share: an issue read back whole (with its categories and
timeline) to compare before and after a request."""

from aiohttp.test_utils import TestClient

from ..support import Person
from .helpers import ISSUE, Reply, get

FULL = "?with[]=categories&with[]=events"


async def read_issue(client: TestClient, issue_id: int, as_: Person) -> Reply:
    """The issue with its categories and timeline, to compare before and after a request."""
    return await get(client, ISSUE.format(issue_id) + FULL, as_=as_)


def category_ids_of(reply: Reply) -> list[int]:
    return sorted(category["id"] for category in reply.body["categories"])


def events_of(reply: Reply) -> list[str]:
    return [event["description"] for event in reply.body["events"]]
