"""The README's table of settings is the `Settings` model's own: every setting, its default and
what it means, written by `make settings` and checked here."""

from issuetracker.settings import Settings
from issuetracker.settings_reference import README, settings_table, with_table


def test_every_setting_says_what_it_means() -> None:
    undescribed = [name for name, field in Settings.model_fields.items() if not field.description]

    assert undescribed == []


def test_the_readme_lists_every_setting_as_the_model_has_it() -> None:
    readme = README.read_text()

    assert with_table(readme) == readme, "settings changed: run `make settings`, commit README.md"
    for name in Settings.model_fields:
        assert f"| `{name.upper()}` |" in settings_table()
