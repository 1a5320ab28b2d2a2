"""Users: creation from the command line, lookups for the faces."""

import uuid

from ..clock import utcnow
from ..models import User
from .actor import Actor, require_user
from .errors import FieldError, NotFound, ValidationFailed
from .passwords import hash_password
from .validation import Collector


async def create_verified_user(email: str, name: str, password: str | None) -> User:
    check = Collector()
    cleaned_email = check.email("email", email)
    cleaned_name = check.text("name", name)
    check.raise_if_any()
    if await User.exists(email=cleaned_email):
        raise ValidationFailed([FieldError("email", "The email has already been taken.", "TAKEN")])
    return await User.create(
        guid=uuid.uuid4(),
        email=cleaned_email,
        name=cleaned_name,
        password_hash=await hash_password(password) if password else "",
        email_verified_at=utcnow(),
    )


async def get_viewer(actor: Actor) -> User:
    return require_user(actor)


async def get_user(actor: Actor, user_id: int) -> User:
    """Users are visible to signed-in users (to pick owners and members), never to anonymous."""
    require_user(actor)
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound()
    return user
