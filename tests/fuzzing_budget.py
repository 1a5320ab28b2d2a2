"""How hard the suite fuzzes. CI (`CI` set, or `FULL_FUZZ=1`) runs the full budgets: about a
minute a document, and every generated example; elsewhere the same seeds run a fraction of
them, so that a developer's `pytest` stays within a few minutes and still tries every
operation."""

import os

FULL_FUZZING = bool(os.environ.get("CI") or os.environ.get("FULL_FUZZ"))


def budget(full: int, local: int) -> int:
    return full if FULL_FUZZING else local
