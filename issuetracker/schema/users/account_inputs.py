"""The inputs and payloads of the account mutations."""

import strawberry

from ..errors import UserError
from .mutations import IssuedApiToken
from .types import ApiTokenType, ViewerType


@strawberry.input
class RegisterInput:
    email: str
    name: str
    password: str


@strawberry.type(
    description="The same for a new address and one that already has an account: either way "
    "an e-mail goes to the address (a verification link, or a note to its owner)."
)
class RegisterPayload:
    errors: list[UserError]


@strawberry.input
class VerifyEmailInput:
    token: str = strawberry.field(description="The `token` of the e-mailed verification link.")


@strawberry.type
class VerifyEmailPayload:
    errors: list[UserError]


@strawberry.type
class ResendVerificationEmailPayload:
    errors: list[UserError]


@strawberry.input
class LoginInput:
    email: str
    password: str
    token_name: str | None = strawberry.field(
        default=None, description='A name for the new token; "Signed in" when left out.'
    )


@strawberry.type
class LoginPayload:
    api_token: IssuedApiToken | None = strawberry.field(
        default=None, description="A new token, expiring after the server's TOKEN_LIFETIME_DAYS."
    )
    errors: list[UserError]


@strawberry.type
class LogoutPayload:
    api_token: ApiTokenType | None = strawberry.field(
        default=None, description="The token the request was made with, now revoked."
    )
    errors: list[UserError]


@strawberry.input
class RequestPasswordResetInput:
    email: str


@strawberry.type(
    description="The same whether or not the address has an account; only an account's "
    "address receives a link."
)
class RequestPasswordResetPayload:
    errors: list[UserError]


@strawberry.input
class ResetPasswordInput:
    token: str = strawberry.field(description="The `token` of the e-mailed set-password link.")
    password: str


@strawberry.type
class ResetPasswordPayload:
    errors: list[UserError]


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.input
class UpdateProfileInput:
    name: str | None = None
    time_zone: str | None = strawberry.field(default=None, description="An IANA zone name.")
    phone: str | None = strawberry.field(default=None, description="Empty removes it.")
    title: str | None = strawberry.field(default=None, description="Empty removes it.")
    avatar_url: str | None = strawberry.field(
        default=None, description="An http or https URL; empty removes it."
    )


@strawberry.type
class ViewerPayload:
    viewer: ViewerType | None = None
    errors: list[UserError]
