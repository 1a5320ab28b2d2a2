"""Batched reads of relations, for DataLoaders and REST includes alike, live with their
domain (`issues/batches.py`, `companies/batches.py`, `accounts/batches.py`,
`webhooks/batches.py`), built on the domain's relation rules (`relations.py`).

Each takes a list of keys and returns one result per key, in key order, with one SQL statement
for the whole batch; visibility is applied inside that statement.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any


def grouped(pairs: Sequence[tuple[int, Any]], keys: Sequence[int]) -> list[list[Any]]:
    """The values of the (key, value) pairs, a list for each key, in key order."""
    groups: dict[int, list[Any]] = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return [groups.get(key, []) for key in keys]
