"""Account mutations. Anonymous callers register, verify, sign in and reset passwords; the rest
needs a token."""

from typing import Annotated

import strawberry

from ...resolvers.accounts import password_reset, profile, registration, sign_in
from ...resolvers.accounts.profile import ProfileChanges
from ..context import Info
from ..errors import IsAuthenticated, payload_of
from .account_inputs import (
    ChangePasswordInput,
    LoginInput,
    LoginPayload,
    LogoutPayload,
    RegisterInput,
    RegisterPayload,
    RequestPasswordResetInput,
    RequestPasswordResetPayload,
    ResendVerificationEmailPayload,
    ResetPasswordInput,
    ResetPasswordPayload,
    UpdateProfileInput,
    VerifyEmailInput,
    VerifyEmailPayload,
    ViewerPayload,
)
from .mutations import IssuedApiToken
from .types import ApiTokenType, ViewerType


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        description="Creates an unverified account and e-mails a link to verify the address; "
        "answers the same for an address that has an account (its owner is told instead). "
        "At most 20 a client an hour by default (RATE_LIMITED beyond)."
    )
    async def register(
        self,
        info: Info,
        input: Annotated[RegisterInput, strawberry.argument(description="The account to create.")],
    ) -> RegisterPayload | None:
        return await payload_of(
            RegisterPayload,
            lambda: registration.register(
                info.context.scope, input.email, input.name, input.password
            ),
            field=None,
            wrap=lambda _: RegisterPayload(errors=[]),
        )

    @strawberry.mutation(
        description="Verifies an address with the token of the e-mailed link; works without "
        "signing in."
    )
    async def verify_email(
        self,
        info: Info,
        input: Annotated[VerifyEmailInput, strawberry.argument(description="The link's token.")],
    ) -> VerifyEmailPayload | None:
        return await payload_of(
            VerifyEmailPayload,
            lambda: registration.verify_email(info.context.scope, input.token),
            field=None,
            wrap=lambda _: VerifyEmailPayload(errors=[]),
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="E-mails the viewer a new verification link; ALREADY_VERIFIED when there is "
        "nothing to verify. Limited like `register`.",
    )
    async def resend_verification_email(self, info: Info) -> ResendVerificationEmailPayload | None:
        return await payload_of(
            ResendVerificationEmailPayload,
            lambda: registration.resend_verification(info.context.scope),
            field=None,
            wrap=lambda _: ResendVerificationEmailPayload(errors=[]),
        )

    @strawberry.mutation(
        description="Signs in: a new API token for the e-mail address and password. After 5 "
        "failures for an address or 20 from a client within 15 minutes (the defaults), even "
        "the right password gets RATE_LIMITED until the window has passed."
    )
    async def login(
        self,
        info: Info,
        input: Annotated[LoginInput, strawberry.argument(description="The address and password.")],
    ) -> LoginPayload | None:
        return await payload_of(
            LoginPayload,
            lambda: sign_in.login(
                info.context.scope, input.email, input.password, input.token_name
            ),
            field="api_token",
            wrap=lambda issued: IssuedApiToken(
                token=ApiTokenType.from_row(issued.token), secret=issued.secret
            ),
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated], description="Revokes the token of this request."
    )
    async def logout(self, info: Info) -> LogoutPayload | None:
        return await payload_of(
            LogoutPayload,
            lambda: sign_in.logout(info.context.scope),
            field="api_token",
            wrap=ApiTokenType.from_row,
        )

    @strawberry.mutation(
        description="E-mails a link to choose a new password, valid for an hour by default, "
        "if the address has an account; answers the same either way. Limited like `register`."
    )
    async def request_password_reset(
        self,
        info: Info,
        input: Annotated[
            RequestPasswordResetInput, strawberry.argument(description="Whose password to reset.")
        ],
    ) -> RequestPasswordResetPayload | None:
        return await payload_of(
            RequestPasswordResetPayload,
            lambda: password_reset.request_password_reset(info.context.scope, input.email),
            field=None,
            wrap=lambda _: RequestPasswordResetPayload(errors=[]),
        )

    @strawberry.mutation(
        description="Sets a new password with the token of a reset link (which works once), "
        "verifies the address, and ends every sign-in of the user (all tokens are revoked)."
    )
    async def reset_password(
        self,
        info: Info,
        input: Annotated[
            ResetPasswordInput,
            strawberry.argument(description="The link's token and the new password."),
        ],
    ) -> ResetPasswordPayload | None:
        return await payload_of(
            ResetPasswordPayload,
            lambda: password_reset.reset_password(info.context.scope, input.token, input.password),
            field=None,
            wrap=lambda _: ResetPasswordPayload(errors=[]),
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Needs the current password; ends every other sign-in of the user.",
    )
    async def change_password(
        self,
        info: Info,
        input: Annotated[
            ChangePasswordInput,
            strawberry.argument(description="The current and the new password."),
        ],
    ) -> ViewerPayload | None:
        return await payload_of(
            ViewerPayload,
            lambda: profile.change_password(
                info.context.scope, input.current_password, input.new_password
            ),
            field="viewer",
            wrap=ViewerType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Changes the viewer's name, time zone, phone, title or avatar URL.",
    )
    async def update_profile(
        self,
        info: Info,
        input: Annotated[
            UpdateProfileInput, strawberry.argument(description="The changes to make.")
        ],
    ) -> ViewerPayload | None:
        changes = ProfileChanges(
            name=input.name,
            time_zone=input.time_zone,
            phone=input.phone,
            title=input.title,
            avatar_url=input.avatar_url,
        )
        return await payload_of(
            ViewerPayload,
            lambda: profile.update_profile(info.context.scope, changes),
            field="viewer",
            wrap=ViewerType.from_row,
        )
