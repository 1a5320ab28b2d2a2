"""Users: creation from the command line, lookups for the faces."""

import uuid
from datetime import datetime

from ...models import User
from ..core.actor import require_user
from ..core.errors import ErrorCode, FieldError, NotFound, ValidationFailed
from ..core.scope import Scope
from ..core.validation import Collector
from .passwords import hash_password


async def create_verified_user(email: str, name: str, password: str | None, now: datetime) -> User:
    check = Collector()
    cleaned_email = check.email("email", email)
    cleaned_name = check.text("name", name)
    check.raise_if_any()
    if await User.exists(email=cleaned_email):
        raise ValidationFailed(
            [FieldError("email", "The email has already been taken.", ErrorCode.TAKEN)]
        )
    return await User.create(
        guid=uuid.uuid4(),
        email=cleaned_email,
        name=cleaned_name,
        password_hash=await hash_password(password) if password else "",
        email_verified_at=now,
    )


async def get_viewer(scope: Scope) -> User:
    return require_user(scope.actor)


async def get_user(scope: Scope, user_id: int) -> User:
    """Users are visible to signed-in users (to pick owners and members), never to anonymous."""
    require_user(scope.actor)
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound()
    return user
