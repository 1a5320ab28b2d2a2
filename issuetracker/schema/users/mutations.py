import strawberry

from ...resolvers.accounts import tokens
from ..context import Info
from ..errors import IsAuthenticated, UserError, payload_of
from ..relay import database_id
from .types import ApiTokenType


@strawberry.input
class CreateApiTokenInput:
    name: str
    expires_in_days: int | None = strawberry.field(
        default=None, description="Defaults to the server's TOKEN_LIFETIME_DAYS."
    )


@strawberry.type
class IssuedApiToken:
    token: ApiTokenType
    secret: str = strawberry.field(description="Shown this once; only a hash is kept.")


@strawberry.type
class CreateApiTokenPayload:
    api_token: IssuedApiToken | None = None
    errors: list[UserError]


@strawberry.input
class RevokeApiTokenInput:
    id: strawberry.ID


@strawberry.type
class RevokeApiTokenPayload:
    api_token: ApiTokenType | None = None
    errors: list[UserError]


@strawberry.type
class UserMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_api_token(
        self, info: Info, input: CreateApiTokenInput
    ) -> CreateApiTokenPayload:
        return await payload_of(
            CreateApiTokenPayload,
            lambda: tokens.create_api_token(info.context.scope, input.name, input.expires_in_days),
            field="api_token",
            wrap=lambda issued: IssuedApiToken(
                token=ApiTokenType.from_row(issued.token), secret=issued.secret
            ),
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def revoke_api_token(
        self, info: Info, input: RevokeApiTokenInput
    ) -> RevokeApiTokenPayload:
        return await payload_of(
            RevokeApiTokenPayload,
            lambda: tokens.revoke_api_token(info.context.scope, database_id(input.id, "ApiToken")),
            field="api_token",
            wrap=ApiTokenType.from_row,
        )
