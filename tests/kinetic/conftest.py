"""The Kinetic tests' settings: the suite's, with uploads kept in the test's own directory."""

from pathlib import Path

import pytest

from issuetracker.settings import Settings


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"upload_dir": str(tmp_path / "uploads")})
