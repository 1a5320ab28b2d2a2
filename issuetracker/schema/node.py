"""`node(id:)` and `nodes(ids:)`: any object by its global id, through the same visibility rules."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, cast

import strawberry

from ..models import ActionItem, Fact, Upload
from ..resolvers.accounts import tokens, users
from ..resolvers.companies import categories, companies, joining
from ..resolvers.core.errors import ErrorCode, NotFound, ValidationFailed
from ..resolvers.core.scope import Scope
from ..resolvers.issues import participants, parts, reads
from ..resolvers.webhooks import deliveries, webhooks
from .companies.invitation_types import CompanyInvitationType
from .companies.types import CategoryType, CompanyType
from .context import Info
from .issues.parts import ActionItemType, FactType, InvitationType, UploadType
from .issues.types import IssueEventType, IssueType
from .relay import MAX_NODES, Node, from_global_id
from .users.types import ApiTokenType, UserType
from .webhooks.deliveries import WebhookDeliveryType
from .webhooks.types import WebhookType


async def _issue(scope: Scope, issue_id: int) -> Node:
    return IssueType.from_row(await reads.get_issue(scope, issue_id=issue_id))


async def _issue_event(scope: Scope, event_id: int) -> Node:
    return IssueEventType.from_row(await reads.get_issue_event(scope, event_id))


async def _invitation(scope: Scope, invitation_id: int) -> Node:
    return InvitationType.from_row(await participants.get_invitation(scope, invitation_id))


async def _action_item(scope: Scope, item_id: int) -> Node:
    return ActionItemType.from_row(await parts.get_issue_part(scope, ActionItem, item_id))


async def _fact(scope: Scope, fact_id: int) -> Node:
    return FactType.from_row(await parts.get_issue_part(scope, Fact, fact_id))


async def _upload(scope: Scope, upload_id: int) -> Node:
    return UploadType.from_row(await parts.get_issue_part(scope, Upload, upload_id))


async def _company(scope: Scope, company_id: int) -> Node:
    return CompanyType.from_row(await companies.get_company(scope, company_id))


async def _category(scope: Scope, category_id: int) -> Node:
    return CategoryType.from_row(await categories.get_category(scope, category_id))


async def _company_invitation(scope: Scope, invitation_id: int) -> Node:
    invitation = await joining.get_company_invitation(scope, invitation_id)
    return CompanyInvitationType.from_row(invitation)


async def _webhook(scope: Scope, webhook_id: int) -> Node:
    return WebhookType.from_row(await webhooks.get_webhook(scope, webhook_id))


async def _api_token(scope: Scope, token_id: int) -> Node:
    return ApiTokenType.from_row(await tokens.get_api_token(scope, token_id))


async def _user(scope: Scope, user_id: int) -> Node:
    return UserType.from_row(await users.get_user(scope, user_id))


async def _delivery(scope: Scope, delivery_id: int) -> Node:
    return WebhookDeliveryType.from_row(await deliveries.get_delivery(scope, delivery_id))


FETCHERS: dict[str, Callable[[Scope, int], Awaitable[Node]]] = {
    "Issue": _issue,
    "IssueEvent": _issue_event,
    "Invitation": _invitation,
    "ActionItem": _action_item,
    "Fact": _fact,
    "IssueUpload": _upload,
    "Company": _company,
    "Category": _category,
    "CompanyInvitation": _company_invitation,
    "Webhook": _webhook,
    "ApiToken": _api_token,
    "User": _user,
    "WebhookDelivery": _delivery,
}


async def fetch_node(scope: Scope, global_id: str) -> Node:
    type_name, number = from_global_id(global_id)
    fetch = FETCHERS.get(type_name)
    if fetch is None:
        raise NotFound()
    return await fetch(scope, number)


@strawberry.type
class NodeQueries:
    @strawberry.field(
        description="Any object by its global id; null, with a NOT_FOUND error at this path, "
        "when there is none the viewer may see."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The object's global id.")],
    ) -> Node | None:
        return await fetch_node(info.context.scope, id)

    @strawberry.field(
        description=f"Up to {MAX_NODES} objects at once, in the order of their ids; a hidden, "
        "missing or malformed one is null, with its error at its place in the list."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description=f"Global ids of any types, at most {MAX_NODES}."),
        ],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            message = f"Ask for at most {MAX_NODES} ids at once."
            raise ValidationFailed.single("ids", message, ErrorCode.TOO_MANY)
        scope = info.context.scope
        fetched = await asyncio.gather(
            *(fetch_node(scope, global_id) for global_id in ids), return_exceptions=True
        )
        # The executor raises a failure found in the list at its place, in the list's order:
        # errors come in the order of the ids, not in the order the fetches happened to end.
        return cast(list[Node | None], fetched)
