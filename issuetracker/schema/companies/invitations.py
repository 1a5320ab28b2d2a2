"""Inviting people into companies, and answering invitations."""

from typing import Annotated

import strawberry

from ...models import CompanyInvitation
from ...resolvers.companies import invitations, joining
from ..context import Info
from ..errors import IsAuthenticated, payload_of
from ..relay import database_id
from .inputs import (
    AcceptCompanyInvitationInput,
    AddCompanyMemberInput,
    CancelCompanyInvitationInput,
    DeclineCompanyInvitationInput,
    InviteCompanyMemberInput,
)
from .invitation_types import CompanyInvitationPayload, CompanyInvitationType
from .mutations import MembershipPayload

_INVITATION = "CompanyInvitation"


def _wrapped(invitation: CompanyInvitation) -> CompanyInvitationType:
    return CompanyInvitationType.from_row(invitation)


@strawberry.type
class CompanyInvitationMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Invites a person into a company by e-mail address: they are e-mailed and "
        "join when they accept (an unknown address gets an account and a link to choose a "
        "password). Inviting an address again renews its invitation. The answer is the same "
        "whether the address has an account or is a member already. Owners and admins only; "
        "only owners invite owners.",
    )
    async def invite_company_member(
        self,
        info: Info,
        input: Annotated[
            InviteCompanyMemberInput,
            strawberry.argument(description="Whom to invite, where, as what."),
        ],
    ) -> CompanyInvitationPayload | None:
        async def invite() -> CompanyInvitation:
            company_id = database_id(input.company_id, "Company", field="company_id")
            return await invitations.invite_company_member(
                info.context.scope, company_id, input.email, input.role
            )

        return await payload_of(
            CompanyInvitationPayload, invite, field="company_invitation", wrap=_wrapped
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Invites a person, exactly as inviteCompanyMember does: `membership` is "
        "null, as nobody joins before accepting. It no longer adds a known user at once, nor "
        "changes a member's role.",
        deprecation_reason="Use inviteCompanyMember, and changeCompanyMemberRole for roles.",
    )
    async def add_company_member(
        self,
        info: Info,
        input: Annotated[
            AddCompanyMemberInput,
            strawberry.argument(description="Whom to invite, where, as what."),
        ],
    ) -> MembershipPayload | None:
        async def add() -> CompanyInvitation:
            company_id = database_id(input.company_id, "Company", field="company_id")
            return await invitations.add_company_member(
                info.context.scope, company_id, input.email, input.role
            )

        return await payload_of(MembershipPayload, add, field="membership", wrap=lambda _: None)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The viewer joins the company of an invitation to their (verified) address, "
        "in its role; accepting again changes nothing. Anyone else's invitation is NOT_FOUND.",
    )
    async def accept_company_invitation(
        self,
        info: Info,
        input: Annotated[
            AcceptCompanyInvitationInput,
            strawberry.argument(description="The invitation to accept."),
        ],
    ) -> CompanyInvitationPayload | None:
        return await payload_of(
            CompanyInvitationPayload,
            lambda: joining.accept_company_invitation(
                info.context.scope, database_id(input.id, _INVITATION)
            ),
            field="company_invitation",
            wrap=_wrapped,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The viewer declines a pending invitation to their (verified) address: it "
        "is deleted. Anyone else's invitation is NOT_FOUND.",
    )
    async def decline_company_invitation(
        self,
        info: Info,
        input: Annotated[
            DeclineCompanyInvitationInput,
            strawberry.argument(description="The invitation to decline."),
        ],
    ) -> CompanyInvitationPayload | None:
        return await payload_of(
            CompanyInvitationPayload,
            lambda: joining.decline_company_invitation(
                info.context.scope, database_id(input.id, _INVITATION)
            ),
            field="company_invitation",
            wrap=_wrapped,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Deletes an invitation of a company the viewer owns or administers (only "
        "owners cancel an invitation to become an owner); someone who accepted it stays a "
        "member.",
    )
    async def cancel_company_invitation(
        self,
        info: Info,
        input: Annotated[
            CancelCompanyInvitationInput,
            strawberry.argument(description="The invitation to cancel."),
        ],
    ) -> CompanyInvitationPayload | None:
        return await payload_of(
            CompanyInvitationPayload,
            lambda: invitations.cancel_company_invitation(
                info.context.scope, database_id(input.id, _INVITATION)
            ),
            field="company_invitation",
            wrap=_wrapped,
        )
