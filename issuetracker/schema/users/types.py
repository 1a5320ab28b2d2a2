from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import strawberry

from ...models import ApiToken, User
from ...resolvers.accounts.tokens import list_api_tokens
from ...resolvers.companies.companies import list_member_companies
from ...resolvers.core.involvement import shown_email
from ...resolvers.issues.reads import list_my_tags
from ..context import Info
from ..relay import Connection, Node, page_args, to_global_id

if TYPE_CHECKING:
    from ..companies.types import CompanyType

CompanyConnection = Connection[
    Annotated["CompanyType", strawberry.lazy("issuetracker.schema.companies.types")]
]


def _user_fields(user: User) -> dict[str, Any]:
    return {
        "id": to_global_id("User", user.id),
        "database_id": user.id,
        "guid": user.guid,
        "name": user.name,
        "title": user.title,
        "time_zone": user.time_zone,
        "avatar_url": user.avatar_url,
        "_row": user,
    }


@strawberry.type(name="User")
class UserType(Node):
    database_id: int
    guid: UUID
    name: str
    title: str | None
    time_zone: str
    avatar_url: str | None
    _row: strawberry.Private[User]

    @classmethod
    def from_row(cls, user: User) -> "UserType":
        return cls(**_user_fields(user))

    @strawberry.field(description="Shown to the user themself only.")
    def email(self, info: Info) -> str | None:
        return shown_email(info.context.actor.user_id, self._row.id, self._row.email)


@strawberry.type(name="ApiToken", description="A token's secret is shown once, when created.")
class ApiTokenType(Node):
    database_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, token: ApiToken) -> "ApiTokenType":
        return cls(
            id=to_global_id("ApiToken", token.id),
            database_id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
        )


@strawberry.type(name="Viewer", description="The signed-in user.")
class ViewerType(UserType):
    phone: str | None
    email_verified_at: datetime | None

    @classmethod
    def from_row(cls, user: User) -> "ViewerType":
        return cls(**_user_fields(user), phone=user.phone, email_verified_at=user.email_verified_at)

    @strawberry.field
    async def api_tokens(self, info: Info) -> list[ApiTokenType]:
        tokens = await list_api_tokens(info.context.scope)
        return [ApiTokenType.from_row(token) for token in tokens]

    @strawberry.field(description="The tags on the issues the viewer takes part in, by name.")
    async def tags(self, info: Info) -> list[str]:
        return await list_my_tags(info.context.scope)

    @strawberry.field(description="The companies the viewer is a member of.")
    async def companies(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CompanyConnection:
        from ..companies.types import CompanyType

        page = await list_member_companies(
            info.context.scope, page_args(first, after, last, before)
        )
        return Connection.from_page(page, CompanyType.from_row)
