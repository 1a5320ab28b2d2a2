from typing import Annotated

import strawberry

from ...resolvers.accounts import tokens
from ..context import Info
from ..errors import PAYLOAD_ERRORS, IsAuthenticated, UserError, payload_of
from ..relay import database_id, database_ids
from .types import ApiTokenType


@strawberry.input(description="A new API token for the viewer.")
class CreateApiTokenInput:
    name: str = strawberry.field(
        description="What the token is for (a device, a script), at most 255 characters."
    )
    expires_in_days: int | None = strawberry.field(
        default=None,
        description="Days until it expires, 1 to 3650; the server's TOKEN_LIFETIME_DAYS (90 "
        "unless configured) when left out.",
    )
    read_only: bool = strawberry.field(
        default=False,
        description="Makes a read-only token: it runs queries and subscriptions, and every "
        "mutation and REST write it sends answers FORBIDDEN (403). A read-only token makes only "
        "read-only tokens.",
    )
    company_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Limits the token to these companies (global ids), each one the viewer is "
        "a member of (UNKNOWN otherwise); it then acts as if its user were a member of these "
        "only. Null: not limited (or, from a company-limited token, limited as that one is).",
    )


@strawberry.type(description="A token just made, with its secret.")
class IssuedApiToken:
    token: ApiTokenType = strawberry.field(description="The token's details.")
    secret: str = strawberry.field(
        description="The bearer secret (`itk_...`), shown this once; only a hash is kept."
    )


@strawberry.type(description="The outcome of `createApiToken`.")
class CreateApiTokenPayload:
    api_token: IssuedApiToken | None = strawberry.field(
        default=None, description="The new token and its secret; null when refused."
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.input(description="The token to revoke.")
class RevokeApiTokenInput:
    id: strawberry.ID = strawberry.field(description="The global id of one of the viewer's tokens.")


@strawberry.type(description="The outcome of `revokeApiToken`.")
class RevokeApiTokenPayload:
    api_token: ApiTokenType | None = strawberry.field(
        default=None, description="The token, now revoked; null when refused."
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type
class UserMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Makes a new API token for the viewer; its secret is in the payload, this "
        "once.",
    )
    async def create_api_token(
        self,
        info: Info,
        input: Annotated[
            CreateApiTokenInput, strawberry.argument(description="The token to make.")
        ],
    ) -> CreateApiTokenPayload | None:
        return await payload_of(
            CreateApiTokenPayload,
            lambda: tokens.create_api_token(
                info.context.scope,
                input.name,
                input.expires_in_days,
                input.read_only,
                _company_ids(input.company_ids),
            ),
            field="api_token",
            wrap=lambda issued: IssuedApiToken(
                token=ApiTokenType.from_row(issued.token), secret=issued.secret
            ),
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Revokes one of the viewer's tokens at once; revoking a revoked one changes "
        "nothing.",
    )
    async def revoke_api_token(
        self,
        info: Info,
        input: Annotated[
            RevokeApiTokenInput, strawberry.argument(description="The token to revoke.")
        ],
    ) -> RevokeApiTokenPayload | None:
        return await payload_of(
            RevokeApiTokenPayload,
            lambda: tokens.revoke_api_token(info.context.scope, database_id(input.id, "ApiToken")),
            field="api_token",
            wrap=ApiTokenType.from_row,
        )


def _company_ids(ids: list[strawberry.ID] | None) -> list[int] | None:
    if ids is None:
        return None
    return database_ids(ids, "Company", field="company_ids")
