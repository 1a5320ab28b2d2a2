"""Batched reads of users (see `core/batches.py`), on the rules of `accounts/relations.py`."""

from collections.abc import Sequence

from tortoise.expressions import RawSQL

from ...models import User
from ..core.actor import Actor
from ..core.sql import table, viewer_of
from .relations import first_visible_company_name


async def users_by_ids(user_ids: Sequence[int]) -> list[User | None]:
    users = {user.id: user for user in await User.filter(id__in=user_ids)}
    return [users.get(key) for key in user_ids]


async def company_names_by_user_ids(actor: Actor, user_ids: Sequence[int]) -> list[str | None]:
    """The name of each user's first company the actor may see, or None."""
    name = RawSQL(first_visible_company_name(f"{table(User)}.id", viewer_of(actor)))
    names = dict(
        await User.filter(id__in=user_ids)
        .annotate(company_name=name)
        .values_list("id", "company_name")
    )
    return [names.get(key) for key in user_ids]
