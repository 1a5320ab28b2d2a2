"""Users: creation from the command line, lookups for the faces."""

import uuid

from ...models import User
from ..core.actor import require_user
from ..core.errors import ErrorCode, FieldError, NotFound, ValidationFailed
from ..core.ids import is_row_id
from ..core.scope import Scope
from ..core.validation import Collector, column_limit
from ..core.visibility import visible_users
from .passwords import MAX_LENGTH, hash_password

NAME_LENGTH = column_limit(User, "name")


async def create_verified_user(scope: Scope, email: str, name: str, password: str | None) -> User:
    check = Collector()
    cleaned_email = check.email("email", email)
    cleaned_name = check.text("name", name, max_length=NAME_LENGTH)
    if password is not None:
        password = check.secret("password", password, max_length=MAX_LENGTH)
    check.raise_if_any()
    if await User.exists(email=cleaned_email):
        raise ValidationFailed(
            [FieldError("email", "The email has already been taken.", ErrorCode.TAKEN)]
        )
    return await User.create(
        guid=uuid.uuid4(),
        email=cleaned_email,
        name=cleaned_name,
        password_hash=await hash_password(scope.policy.password_hashing, password)
        if password
        else "",
        email_verified_at=scope.now,
    )


async def get_viewer(scope: Scope) -> User:
    return require_user(scope.actor)


async def get_user(scope: Scope, user_id: int) -> User:
    """A user is seen by themself and by those who share a company or an issue with them;
    to anyone else (anonymous viewers too) hidden and missing look alike."""
    user = None
    if is_row_id(user_id):
        user = await visible_users(scope.actor).get_or_none(id=user_id)
    if user is None:
        raise NotFound("User not found.")
    return user
