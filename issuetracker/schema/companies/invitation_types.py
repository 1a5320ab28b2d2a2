"""An invitation to join a company, as its company's owners and admins and the person invited
see it."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from ...models import CompanyInvitation
from ..context import Info
from ..enums import Role
from ..errors import PAYLOAD_ERRORS, UserError
from ..relay import DATABASE_ID, Node, to_global_id
from ..users.types import UserType

if TYPE_CHECKING:
    from .types import CompanyType

LazyCompany = Annotated["CompanyType", strawberry.lazy("issuetracker.schema.companies.types")]


async def _visible_company(info: Info, company_id: int) -> "CompanyType | None":
    from .types import CompanyType

    company = await info.context.loaders.company_by_id.load(company_id)
    return CompanyType.from_row(company) if company is not None else None


@strawberry.type(
    name="CompanyInvitation",
    description="An invitation to join a company, sent by e-mail. The person joins only when "
    "they accept it. Seen by the company's owners and admins, and by the person invited once "
    "their address is verified.",
)
class CompanyInvitationType(Node):
    database_id: int = strawberry.field(description=DATABASE_ID)
    email: str = strawberry.field(description="The address invited, in lower case.")
    role: Role = strawberry.field(description="The role the person gets when they accept.")
    company_name: str = strawberry.field(
        description="The company's name, which the person invited reads even while the "
        "company is private to its members."
    )
    created_at: datetime = strawberry.field(
        description="When it was sent, or last renewed by inviting the address again."
    )
    expires_at: datetime = strawberry.field(
        description="When it lapses unless accepted (INVITATION_LINK_DAYS after it was sent)."
    )
    accepted_at: datetime | None = strawberry.field(
        description="When the person accepted it and joined; null while it waits."
    )
    _company_id: strawberry.Private[int]
    _invited_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, invitation: CompanyInvitation) -> "CompanyInvitationType":
        return cls(
            id=to_global_id("CompanyInvitation", invitation.id),
            database_id=invitation.id,
            email=invitation.email,
            role=invitation.role,
            company_name=invitation.company.name,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            accepted_at=invitation.accepted_at,
            _company_id=invitation.company_id,
            _invited_by_id=invitation.invited_by_id,
        )

    @strawberry.field(
        description="The company, when the viewer may see it: null for the person invited "
        "while it is private and they have not joined (`companyName` names it)."
    )
    async def company(self, info: Info) -> LazyCompany | None:
        return await _visible_company(info, self._company_id)

    @strawberry.field(description="Who sent it; null if their account was removed.")
    async def invited_by(self, info: Info) -> UserType | None:
        if self._invited_by_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(self._invited_by_id)
        return UserType.from_row(user) if user else None


@strawberry.type(description="The outcome of a change to a company invitation.")
class CompanyInvitationPayload:
    company_invitation: CompanyInvitationType | None = strawberry.field(
        default=None,
        description="The invitation as it is now (as it was, when declined or cancelled); null "
        "when refused.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)

    @strawberry.field(
        description="The invitation's company as the viewer sees it now (after accepting, as "
        "a member); null when refused, or when they may not see it."
    )
    async def company(self, info: Info) -> LazyCompany | None:
        if self.company_invitation is None:
            return None
        return await _visible_company(info, self.company_invitation._company_id)
