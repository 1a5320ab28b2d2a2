"""`node(id:)` and `nodes(ids:)`: any object by its global id, through the same visibility rules."""

from collections.abc import Awaitable, Callable

import strawberry

from ..models import ActionItem, Fact, Upload
from ..resolvers import categories, collaboration, companies, issues, tokens, users, webhooks
from ..resolvers.actor import Actor
from ..resolvers.errors import NotFound
from .companies.types import CategoryType, CompanyType
from .context import Info
from .issues.parts import ActionItemType, FactType, InvitationType, UploadType
from .issues.types import IssueEventType, IssueType
from .relay import Node, from_global_id
from .users.types import ApiTokenType, UserType
from .webhooks.deliveries import WebhookDeliveryType
from .webhooks.types import WebhookType


async def _issue(actor: Actor, issue_id: int) -> Node:
    return IssueType.from_row(await issues.get_issue(actor, issue_id=issue_id))


async def _issue_event(actor: Actor, event_id: int) -> Node:
    return IssueEventType.from_row(await issues.get_issue_event(actor, event_id))


async def _invitation(actor: Actor, invitation_id: int) -> Node:
    return InvitationType.from_row(await collaboration.get_invitation(actor, invitation_id))


async def _action_item(actor: Actor, item_id: int) -> Node:
    return ActionItemType.from_row(await collaboration.get_issue_part(actor, ActionItem, item_id))


async def _fact(actor: Actor, fact_id: int) -> Node:
    return FactType.from_row(await collaboration.get_issue_part(actor, Fact, fact_id))


async def _upload(actor: Actor, upload_id: int) -> Node:
    return UploadType.from_row(await collaboration.get_issue_part(actor, Upload, upload_id))


async def _company(actor: Actor, company_id: int) -> Node:
    return CompanyType.from_row(await companies.get_company(actor, company_id))


async def _category(actor: Actor, category_id: int) -> Node:
    return CategoryType.from_row(await categories.get_category(actor, category_id))


async def _webhook(actor: Actor, webhook_id: int) -> Node:
    return WebhookType.from_row(await webhooks.get_webhook(actor, webhook_id))


async def _api_token(actor: Actor, token_id: int) -> Node:
    return ApiTokenType.from_row(await tokens.get_api_token(actor, token_id))


async def _user(actor: Actor, user_id: int) -> Node:
    return UserType.from_row(await users.get_user(actor, user_id))


async def _delivery(actor: Actor, delivery_id: int) -> Node:
    return WebhookDeliveryType.from_row(await webhooks.get_delivery(actor, delivery_id))


FETCHERS: dict[str, Callable[[Actor, int], Awaitable[Node]]] = {
    "Issue": _issue,
    "IssueEvent": _issue_event,
    "Invitation": _invitation,
    "ActionItem": _action_item,
    "Fact": _fact,
    "IssueUpload": _upload,
    "Company": _company,
    "Category": _category,
    "Webhook": _webhook,
    "ApiToken": _api_token,
    "User": _user,
    "WebhookDelivery": _delivery,
}


async def fetch_node(actor: Actor, global_id: str) -> Node:
    type_name, number = from_global_id(global_id)
    fetch = FETCHERS.get(type_name)
    if fetch is None:
        raise NotFound()
    return await fetch(actor, number)


@strawberry.type
class NodeQueries:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node:
        return await fetch_node(info.context.actor, id)

    @strawberry.field(description="Several objects at once; a hidden or missing one is null.")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        found: list[Node | None] = []
        for global_id in ids[:100]:
            try:
                found.append(await fetch_node(info.context.actor, global_id))
            except NotFound:
                found.append(None)
        return found
