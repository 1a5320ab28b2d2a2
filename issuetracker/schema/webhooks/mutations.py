import strawberry

from ...models import Webhook
from ...resolvers.webhooks import deliveries, webhooks
from ...resolvers.webhooks.webhooks import WebhookChanges
from ..context import Info
from ..errors import IsAuthenticated, UserError, payload_of
from ..relay import database_id
from .deliveries import WebhookDeliveryType
from .types import WebhookType


@strawberry.input
class CreateWebhookInput:
    url: str
    description: str | None = None


@strawberry.input
class UpdateWebhookInput:
    id: strawberry.ID
    url: str | None = None
    description: str | None = None
    active: bool | None = strawberry.field(
        default=None, description="Re-activating a webhook also clears its failure count."
    )


@strawberry.input
class DeleteWebhookInput:
    id: strawberry.ID


@strawberry.type
class CreateWebhookPayload:
    webhook: WebhookType | None = None
    secret: str | None = strawberry.field(
        default=None, description="The signing secret, shown this once."
    )
    errors: list[UserError]


@strawberry.type
class WebhookPayload:
    webhook: WebhookType | None = None
    errors: list[UserError]


def _created(webhook: Webhook) -> CreateWebhookPayload:
    return CreateWebhookPayload(
        webhook=WebhookType.from_row(webhook), secret=webhook.secret, errors=[]
    )


@strawberry.input
class RedeliverWebhookDeliveryInput:
    id: strawberry.ID


@strawberry.type
class WebhookDeliveryPayload:
    delivery: WebhookDeliveryType | None = None
    errors: list[UserError]


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_webhook(self, info: Info, input: CreateWebhookInput) -> CreateWebhookPayload:
        changes = WebhookChanges(url=input.url, description=input.description)
        return await payload_of(
            CreateWebhookPayload,
            lambda: webhooks.create_webhook(info.context.scope, changes),
            field=None,
            wrap=_created,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_webhook(self, info: Info, input: UpdateWebhookInput) -> WebhookPayload:
        changes = WebhookChanges(url=input.url, description=input.description, active=input.active)
        return await payload_of(
            WebhookPayload,
            lambda: webhooks.update_webhook(
                info.context.scope, database_id(input.id, "Webhook"), changes
            ),
            field="webhook",
            wrap=WebhookType.from_row,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_webhook(self, info: Info, input: DeleteWebhookInput) -> WebhookPayload:
        return await payload_of(
            WebhookPayload,
            lambda: webhooks.delete_webhook(info.context.scope, database_id(input.id, "Webhook")),
            field="webhook",
            wrap=WebhookType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Send a delivery again, now, with the same `webhook-id`.",
    )
    async def redeliver_webhook_delivery(
        self, info: Info, input: RedeliverWebhookDeliveryInput
    ) -> WebhookDeliveryPayload:
        return await payload_of(
            WebhookDeliveryPayload,
            lambda: deliveries.redeliver(
                info.context.scope, database_id(input.id, "WebhookDelivery")
            ),
            field="delivery",
            wrap=WebhookDeliveryType.from_row,
        )
