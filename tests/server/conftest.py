"""A migrated database to copy, made once for the tests that run a server on a database of
their own."""

from collections.abc import Iterator

import pytest

from .unreachable import drop_template, migrated_template


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = migrated_template(tmp_path_factory.mktemp("template"))
    yield url
    drop_template(url)
