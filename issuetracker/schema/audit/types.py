from datetime import datetime
from typing import Any

import strawberry

from ...models import AuditAction, AuditEntry
from ...resolvers.core.errors import DomainError
from ..context import Info
from ..enums import described_enum
from ..relay import Connection, Node, to_global_id
from ..users.types import UserType

described_enum(
    AuditAction,
    "AuditAction",
    "What an audit log entry records.",
    {
        AuditAction.COMPANY_CREATED: "A company was created (its name, slug and visibility).",
        AuditAction.COMPANY_RENAMED: "A company's name changed.",
        AuditAction.COMPANY_VISIBILITY_CHANGED: "A company was made public or private.",
        AuditAction.COMPANY_SLUG_CHANGED: "A company's slug (its status page's name) changed.",
        AuditAction.COMPANY_DELETED: "A company was deleted.",
        AuditAction.MEMBER_INVITED: "An address was invited into a company, with a role.",
        AuditAction.MEMBER_JOINED: "Someone accepted an invitation and became a member.",
        AuditAction.MEMBER_REMOVED: "A member was removed, or left.",
        AuditAction.MEMBER_ROLE_CHANGED: "A member's role changed.",
        AuditAction.CATEGORY_DELETED: "A category was deleted.",
        AuditAction.ISSUE_DELETED: "An issue was deleted (it is kept, hidden from lists).",
        AuditAction.WEBHOOK_CREATED: "A webhook was registered.",
        AuditAction.WEBHOOK_DELETED: "A webhook was deleted.",
        AuditAction.WEBHOOK_SECRET_ROTATED: "A webhook got a new signing secret "
        "(`rotateWebhookSecret`); the old one signs too for 24 hours.",
        AuditAction.API_TOKEN_CREATED: "An API token was made (`createApiToken`).",
        AuditAction.API_TOKEN_REVOKED: "An API token was revoked, or its session signed out.",
        AuditAction.SIGN_IN_FROM_NEW_ADDRESS: "A sign-in succeeded from a client address not "
        "seen for the user before.",
        AuditAction.SIGN_IN_LOCKED: "Sign-ins to the account were refused after too many "
        "failures (once a lock).",
    },
)


@strawberry.type(name="AuditChange", description="One field an audited action changed.")
class AuditChangeType:
    field: str = strawberry.field(description="The field's name, as the GraphQL schema has it.")
    before: str | None = strawberry.field(
        description="Its value before, as text; null when it had none (a creation)."
    )
    after: str | None = strawberry.field(
        description="Its value after, as text; null when it has none (a deletion)."
    )


@strawberry.type(
    name="AuditEntry",
    description="A change that matters to an owner, recorded in the same transaction as the "
    "change: who, what, when, from which address, before and after. Secrets and passwords are "
    "never recorded.",
)
class AuditEntryType:
    action: AuditAction = strawberry.field(description="What was done.")
    created_at: datetime = strawberry.field(description="When it was done.")
    client_address: str = strawberry.field(
        description="The client address the request came from, as the server saw it."
    )
    subject_id: strawberry.ID = strawberry.field(
        description="The global id of the object the entry concerns, which stays known when "
        "the object is gone."
    )
    changes: list[AuditChangeType] = strawberry.field(
        description="The fields changed, with their values before and after."
    )
    _row: strawberry.Private[AuditEntry]

    @classmethod
    def from_row(cls, entry: AuditEntry) -> "AuditEntryType":
        changes: list[dict[str, Any]] = entry.changes
        return cls(
            action=entry.action,
            created_at=entry.created_at,
            client_address=entry.client_address,
            subject_id=to_global_id(entry.subject_type, entry.subject_id),
            changes=[AuditChangeType(**change) for change in changes],
            _row=entry,
        )

    @strawberry.field(description="Who did it; null when the system did (a sign-in lock).")
    async def actor(self, info: Info) -> UserType | None:
        if self._row.actor_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(self._row.actor_id)
        return UserType.from_row(user) if user else None

    @strawberry.field(
        description="The object the entry concerns, as the viewer may see it now; null when it "
        "is gone or hidden (`subjectId` still names it)."
    )
    async def subject(self, info: Info) -> Node | None:
        from ..node import fetch_node

        try:
            return await fetch_node(info.context.scope, self.subject_id)
        except DomainError:
            return None


AuditEntryConnection = Connection[AuditEntryType]
