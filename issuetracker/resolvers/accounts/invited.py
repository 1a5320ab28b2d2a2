"""Accounts made for invited addresses."""

import uuid

from ...models import User


async def user_for_invitation(address: str) -> User:
    """The user with this address, or a new account for it: unverified and without a password
    until its owner follows the e-mailed link, named after the address until they choose."""
    defaults = {"guid": uuid.uuid4(), "name": address.partition("@")[0]}
    user, _ = await User.get_or_create(email=address, defaults=defaults)
    return user
