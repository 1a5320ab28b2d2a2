"""Decoding the two ways a single object may be named: a global id or a database id."""

from ..resolvers.core.errors import ValidationFailed
from .relay import database_id


def one_id(global_id: str | None, db_id: int | None, type_name: str) -> int:
    if (global_id is None) == (db_id is None):
        raise ValidationFailed.single("id", "Pass exactly one of `id` and `databaseId`.")
    return db_id if db_id is not None else database_id(global_id or "", type_name)
