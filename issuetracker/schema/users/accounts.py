"""Account mutations. Anonymous callers register, verify, sign in and reset passwords; the rest
needs a token."""

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
    @strawberry.mutation(description="Creates an unverified account and e-mails a link.")
    async def register(self, info: Info, input: RegisterInput) -> RegisterPayload:
        return await payload_of(
            RegisterPayload,
            lambda: registration.register(
                info.context.scope, input.email, input.name, input.password
            ),
            field=None,
            wrap=lambda _: RegisterPayload(errors=[]),
        )

    @strawberry.mutation
    async def verify_email(self, info: Info, input: VerifyEmailInput) -> VerifyEmailPayload:
        return await payload_of(
            VerifyEmailPayload,
            lambda: registration.verify_email(info.context.scope, input.token),
            field=None,
            wrap=lambda _: VerifyEmailPayload(errors=[]),
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def resend_verification_email(self, info: Info) -> ResendVerificationEmailPayload:
        return await payload_of(
            ResendVerificationEmailPayload,
            lambda: registration.resend_verification(info.context.scope),
            field=None,
            wrap=lambda _: ResendVerificationEmailPayload(errors=[]),
        )

    @strawberry.mutation(description="Signs in: a new API token for the e-mail and password.")
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
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
    async def logout(self, info: Info) -> LogoutPayload:
        return await payload_of(
            LogoutPayload,
            lambda: sign_in.logout(info.context.scope),
            field="api_token",
            wrap=ApiTokenType.from_row,
        )

    @strawberry.mutation
    async def request_password_reset(
        self, info: Info, input: RequestPasswordResetInput
    ) -> RequestPasswordResetPayload:
        return await payload_of(
            RequestPasswordResetPayload,
            lambda: password_reset.request_password_reset(info.context.scope, input.email),
            field=None,
            wrap=lambda _: RequestPasswordResetPayload(errors=[]),
        )

    @strawberry.mutation(description="Sets a new password and ends every sign-in of the user.")
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> ResetPasswordPayload:
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
    async def change_password(self, info: Info, input: ChangePasswordInput) -> ViewerPayload:
        return await payload_of(
            ViewerPayload,
            lambda: profile.change_password(
                info.context.scope, input.current_password, input.new_password
            ),
            field="viewer",
            wrap=ViewerType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> ViewerPayload:
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
