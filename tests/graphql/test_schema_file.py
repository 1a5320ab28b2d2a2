from pathlib import Path

from issuetracker.schema import schema_sdl

SCHEMA_FILE = Path(__file__).parent.parent.parent / "schema.graphql"


def test_the_committed_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == schema_sdl(), (
        "schema.graphql is stale: run `make schema` and commit the result"
    )
