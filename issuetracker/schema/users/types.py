from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import strawberry

from ...models import ApiToken, User
from ...resolvers.accounts.narrowing import token_companies
from ...resolvers.accounts.relations import shown_email
from ...resolvers.accounts.tokens import list_api_tokens
from ...resolvers.audit.reads import own_audit_log
from ...resolvers.companies.companies import list_member_companies
from ...resolvers.companies.joining import list_my_company_invitations
from ...resolvers.issues.reads import list_my_tags
from ..context import Info
from ..orders import ApiTokenOrderBy, CompanyOrderBy, list_order
from ..relay import (
    DATABASE_ID,
    After,
    Before,
    Connection,
    First,
    Last,
    Node,
    page_args,
    to_global_id,
)

if TYPE_CHECKING:
    from ..audit.types import AuditEntryType
    from ..companies.invitation_types import CompanyInvitationType
    from ..companies.types import CompanyType

LazyCompany = Annotated["CompanyType", strawberry.lazy("issuetracker.schema.companies.types")]
AuditEntryConnection = Connection[
    Annotated["AuditEntryType", strawberry.lazy("issuetracker.schema.audit.types")]
]
CompanyConnection = Connection[
    Annotated["CompanyType", strawberry.lazy("issuetracker.schema.companies.types")]
]
CompanyInvitationConnection = Connection[
    Annotated[
        "CompanyInvitationType", strawberry.lazy("issuetracker.schema.companies.invitation_types")
    ]
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


@strawberry.type(
    name="User",
    description="A person with an account. Found by id only by themself and by people who "
    "share a company or an issue with them; shown wherever they own, take part in or wrote "
    "something the viewer sees.",
)
class UserType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    guid: UUID = strawberry.field(
        description="The user's UUID, as the Kinetic REST API names users."
    )
    name: str = strawberry.field(description="The name the user goes by.")
    title: str | None = strawberry.field(description="Their job title, if they gave one.")
    time_zone: str = strawberry.field(
        description="Their IANA time zone, such as `Europe/Paris`; `UTC` unless they chose one."
    )
    avatar_url: str | None = strawberry.field(
        description="An http(s) URL of their picture, if they gave one."
    )
    _row: strawberry.Private[User]

    @classmethod
    def from_row(cls, user: User) -> "UserType":
        return cls(**_user_fields(user))

    @strawberry.field(
        description="Their e-mail address: shown to the user themself only, null to everyone else."
    )
    def email(self, info: Info) -> str | None:
        return shown_email(info.context.actor.user_id, self._row.id, self._row.email)


@strawberry.type(
    name="ApiToken",
    description="A bearer token of the viewer's (`Authorization: Bearer itk_...`). Only its "
    "owner sees it; its secret is shown once, when created.",
)
class ApiTokenType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    name: str = strawberry.field(description="What the token is for, as its owner named it.")
    prefix: str = strawberry.field(
        description="The first characters of the secret (`itk_` and 8 more), to tell tokens apart."
    )
    created_at: datetime = strawberry.field(description="When the token was made.")
    last_used_at: datetime | None = strawberry.field(
        description="When a request last used it, within a minute; null when never used."
    )
    expires_at: datetime | None = strawberry.field(
        description="When it stops working; null when it never expires."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked (it no longer works); null while it is not."
    )
    read_only: bool = strawberry.field(
        description="A read-only token runs queries and subscriptions; every mutation and "
        "every REST write answers FORBIDDEN (403)."
    )
    company_ids: strawberry.Private[list[int] | None]

    @strawberry.field(
        description="The companies a company-limited token is limited to, those the viewer "
        "may see, oldest first; null when it is not limited. Such a token acts as if its user "
        "were a member of these companies only (and still a member): other companies' private "
        "data is hidden from it, it changes nothing elsewhere, and issues without categories "
        "are out of its reach."
    )
    async def companies(self, info: Info) -> list[LazyCompany] | None:
        from ..companies.types import CompanyType

        if self.company_ids is None:
            return None
        found = await token_companies(info.context.scope, self.company_ids)
        return [CompanyType.from_row(company) for company in found]

    @classmethod
    def from_row(cls, token: ApiToken) -> "ApiTokenType":
        return cls(
            read_only=token.read_only,
            company_ids=token.company_ids,
            id=to_global_id("ApiToken", token.id),
            database_id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
        )


@strawberry.type(
    name="Viewer",
    description="The signed-in user, with what only they may see of their account.",
)
class ViewerType(UserType):
    phone: str | None = strawberry.field(description="Their phone number, if they gave one.")
    email_verified_at: datetime | None = strawberry.field(
        description="When they followed the verification link; null until then, and until "
        "then they may not create companies or issues."
    )

    @classmethod
    def from_row(cls, user: User) -> "ViewerType":
        return cls(**_user_fields(user), phone=user.phone, email_verified_at=user.email_verified_at)

    @strawberry.field(
        description="Every token of the viewer's, newest first or in `orderBy`, revoked and "
        "expired ones too."
    )
    async def api_tokens(self, info: Info, order_by: ApiTokenOrderBy = None) -> list[ApiTokenType]:
        order = order_by.to_order() if order_by is not None else None
        tokens = await list_api_tokens(info.context.scope, order)
        return [ApiTokenType.from_row(token) for token in tokens]

    @strawberry.field(
        description="The audit log of the viewer's own account, newest first: API tokens, "
        "webhooks, sign-ins from new addresses and sign-in locks. FORBIDDEN to a token limited "
        "to companies."
    )
    async def audit_log(
        self, info: Info, first: First = None, after: After = None
    ) -> AuditEntryConnection:
        from ..audit.types import AuditEntryType

        page = await own_audit_log(info.context.scope, page_args(first, after, None, None))
        return Connection.from_page(page, AuditEntryType.from_row)

    @strawberry.field(
        description="The tags on the issues the viewer takes part in (deleted ones aside), in "
        "alphabetical order."
    )
    async def tags(self, info: Info) -> list[str]:
        return await list_my_tags(info.context.scope)

    @strawberry.field(
        description="The companies the viewer is a member of, oldest first or in `orderBy`."
    )
    async def companies(
        self,
        info: Info,
        order_by: CompanyOrderBy = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CompanyConnection:
        from ..companies.types import CompanyType

        page = await list_member_companies(
            info.context.scope, page_args(first, after, last, before), list_order(order_by)
        )
        return Connection.from_page(page, CompanyType.from_row)

    @strawberry.field(
        description="The invitations to the viewer's address waiting for their answer (not "
        "expired), oldest first; empty until the address is verified. Accept one with "
        "`acceptCompanyInvitation`, or decline it with `declineCompanyInvitation`."
    )
    async def company_invitations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CompanyInvitationConnection:
        from ..companies.invitation_types import CompanyInvitationType

        page = await list_my_company_invitations(
            info.context.scope, page_args(first, after, last, before)
        )
        return Connection.from_page(page, CompanyInvitationType.from_row)
