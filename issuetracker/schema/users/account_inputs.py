"""The inputs and payloads of the account mutations."""

import strawberry

from ..errors import PAYLOAD_ERRORS, UserError
from .mutations import IssuedApiToken
from .types import ApiTokenType, ViewerType

_STRENGTH_RULES = "10 to 256 characters, not a common password, nor the account's address or name."


@strawberry.input(description="A new account.")
class RegisterInput:
    email: str = strawberry.field(
        description="The address to sign in with; a verification link is e-mailed to it."
    )
    name: str = strawberry.field(description="The name to go by, at most 255 characters.")
    password: str = strawberry.field(description=_STRENGTH_RULES)


@strawberry.type(
    description="The same for a new address and one that already has an account: either way "
    "an e-mail goes to the address (a verification link, or a note to its owner)."
)
class RegisterPayload:
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.input(description="The token of a verification link.")
class VerifyEmailInput:
    token: str = strawberry.field(description="The `token` of the e-mailed verification link.")


@strawberry.type(
    description="The outcome of `verifyEmail`: no errors when the address is verified now (or "
    "already was); INVALID_TOKEN or EXPIRED_TOKEN on `token` otherwise."
)
class VerifyEmailPayload:
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of `resendVerificationEmail`.")
class ResendVerificationEmailPayload:
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.input(description="An e-mail address and password to sign in with.")
class LoginInput:
    email: str = strawberry.field(description="The account's e-mail address, in any case.")
    password: str = strawberry.field(description="The account's password.")
    token_name: str | None = strawberry.field(
        default=None, description='A name for the new token; "Signed in" when left out.'
    )


@strawberry.type(
    description="The outcome of `login`: a token, or INVALID_CREDENTIALS alike for an unknown "
    "address, a wrong password and an account without one."
)
class LoginPayload:
    api_token: IssuedApiToken | None = strawberry.field(
        default=None,
        description="A new token, expiring after the server's TOKEN_LIFETIME_DAYS; null when "
        "refused.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of `logout`.")
class LogoutPayload:
    api_token: ApiTokenType | None = strawberry.field(
        default=None, description="The token the request was made with, now revoked."
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.input(description="The address of the account whose password was forgotten.")
class RequestPasswordResetInput:
    email: str = strawberry.field(description="The account's e-mail address.")


@strawberry.type(
    description="The same whether or not the address has an account; only an account's "
    "address receives a link."
)
class RequestPasswordResetPayload:
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.input(description="A set-password link's token and the new password.")
class ResetPasswordInput:
    token: str = strawberry.field(description="The `token` of the e-mailed set-password link.")
    password: str = strawberry.field(description=_STRENGTH_RULES)


@strawberry.type(
    description="The outcome of `resetPassword`: INVALID_TOKEN, EXPIRED_TOKEN or USED_TOKEN on "
    "`token` when the link cannot be used."
)
class ResetPasswordPayload:
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.input(description="The viewer's current password and a new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(
        description="The password now; a wrong one is INVALID_PASSWORD and counts as a failed "
        "sign-in."
    )
    new_password: str = strawberry.field(description=_STRENGTH_RULES)


@strawberry.input(
    description="Changes to the viewer's profile; what is left out (or null) stays as it is."
)
class UpdateProfileInput:
    name: str | None = strawberry.field(
        default=None, description="The name to go by, at most 255 characters."
    )
    time_zone: str | None = strawberry.field(
        default=None,
        description="An IANA time zone name, such as `Europe/Paris`, or its Rails name, such as "
        "`Paris` or `Central Time (US & Canada)`; the IANA name is kept.",
    )
    phone: str | None = strawberry.field(
        default=None, description="A phone number, such as `+1 555 0100`; empty removes it."
    )
    title: str | None = strawberry.field(
        default=None, description="A job title, at most 255 characters; empty removes it."
    )
    avatar_url: str | None = strawberry.field(
        default=None, description="An http or https URL; empty removes it."
    )


@strawberry.type(description="The outcome of a change to the viewer's own account.")
class ViewerPayload:
    viewer: ViewerType | None = strawberry.field(
        default=None, description="The viewer as they are now; null when refused."
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)
