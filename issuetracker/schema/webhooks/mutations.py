from typing import Annotated

import strawberry

from ...models import Webhook
from ...resolvers.webhooks import deliveries, webhooks
from ...resolvers.webhooks.webhooks import WebhookChanges
from ..context import Info
from ..errors import PAYLOAD_ERRORS, IsAuthenticated, UserError, payload_of
from ..relay import database_id
from .deliveries import WebhookDeliveryType
from .types import WebhookType

_URL = (
    "Where to send events: an http or https URL of at most 2048 characters that reaches a "
    "public address (not private, loopback, link-local or metadata: UNSAFE_URL), and that none "
    "of the viewer's other webhooks has (TAKEN)."
)
_DESCRIPTION = "What the webhook is for, at most 1000 characters."


@strawberry.input(description="A new webhook for the viewer.")
class CreateWebhookInput:
    url: str = strawberry.field(description=_URL)
    description: str | None = strawberry.field(default=None, description=_DESCRIPTION)


@strawberry.input(description="Changes to one of the viewer's webhooks; what is left out stays.")
class UpdateWebhookInput:
    id: strawberry.ID = strawberry.field(description="The webhook to change.")
    url: str | None = strawberry.field(default=None, description=_URL)
    description: str | None = strawberry.field(default=None, description=_DESCRIPTION)
    active: bool | None = strawberry.field(
        default=None,
        description="False stops deliveries; true resumes them and clears the failure count.",
    )


@strawberry.input(description="The webhook to delete.")
class DeleteWebhookInput:
    id: strawberry.ID = strawberry.field(description="The webhook's global id.")


@strawberry.type(description="The outcome of `createWebhook`.")
class CreateWebhookPayload:
    webhook: WebhookType | None = strawberry.field(
        default=None, description="The new webhook; null when the input was refused."
    )
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret (`whsec_` and base64), shown this once: keep it to "
        "verify the `webhook-signature` of deliveries.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type(description="The outcome of a change to a webhook.")
class WebhookPayload:
    webhook: WebhookType | None = strawberry.field(
        default=None,
        description="The webhook as it is now (as it was, when deleted); null when refused.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


def _created(webhook: Webhook) -> CreateWebhookPayload:
    return CreateWebhookPayload(
        webhook=WebhookType.from_row(webhook), secret=webhook.secret, errors=[]
    )


@strawberry.input(description="The webhook whose signing secret to replace.")
class RotateWebhookSecretInput:
    id: strawberry.ID = strawberry.field(description="The webhook's global id.")


@strawberry.type(description="The outcome of `rotateWebhookSecret`.")
class RotateWebhookSecretPayload:
    webhook: WebhookType | None = strawberry.field(
        default=None, description="The webhook; null when refused."
    )
    secret: str | None = strawberry.field(
        default=None,
        description="The new signing secret (`whsec_` and base64), shown this once. For 24 "
        "hours deliveries carry two space-separated signatures in `webhook-signature`, one "
        "with the old secret and one with this one, so the receiver can switch in between.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


def _rotated(webhook: Webhook) -> RotateWebhookSecretPayload:
    return RotateWebhookSecretPayload(
        webhook=WebhookType.from_row(webhook), secret=webhook.secret, errors=[]
    )


@strawberry.input(description="The delivery to send again.")
class RedeliverWebhookDeliveryInput:
    id: strawberry.ID = strawberry.field(description="The delivery's global id.")


@strawberry.type(description="The outcome of `redeliverWebhookDelivery`.")
class WebhookDeliveryPayload:
    delivery: WebhookDeliveryType | None = strawberry.field(
        default=None,
        description="The delivery, PENDING again with its attempt count back at 0.",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Registers a webhook for the viewer, which then hears `webhook_created`; "
        "the payload carries its signing secret, shown this once. Needs a token.",
    )
    async def create_webhook(
        self,
        info: Info,
        input: Annotated[
            CreateWebhookInput, strawberry.argument(description="The webhook to create.")
        ],
    ) -> CreateWebhookPayload | None:
        changes = WebhookChanges(url=input.url, description=input.description)
        return await payload_of(
            CreateWebhookPayload,
            lambda: webhooks.create_webhook(info.context.scope, changes),
            field=None,
            wrap=_created,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Changes one of the viewer's webhooks (NOT_FOUND for any other).",
    )
    async def update_webhook(
        self,
        info: Info,
        input: Annotated[
            UpdateWebhookInput, strawberry.argument(description="The changes to make.")
        ],
    ) -> WebhookPayload | None:
        changes = WebhookChanges(url=input.url, description=input.description, active=input.active)
        return await payload_of(
            WebhookPayload,
            lambda: webhooks.update_webhook(
                info.context.scope, database_id(input.id, "Webhook"), changes
            ),
            field="webhook",
            wrap=WebhookType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Deletes one of the viewer's webhooks, with its deliveries; the viewer's "
        "other webhooks hear `webhook_deleted`.",
    )
    async def delete_webhook(
        self,
        info: Info,
        input: Annotated[
            DeleteWebhookInput, strawberry.argument(description="The webhook to delete.")
        ],
    ) -> WebhookPayload | None:
        return await payload_of(
            WebhookPayload,
            lambda: webhooks.delete_webhook(info.context.scope, database_id(input.id, "Webhook")),
            field="webhook",
            wrap=WebhookType.from_row,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Gives one of the viewer's webhooks a new signing secret, shown once in the "
        "payload; the old one keeps signing beside it for 24 hours (NOT_FOUND for a webhook "
        "that is not the viewer's).",
    )
    async def rotate_webhook_secret(
        self,
        info: Info,
        input: Annotated[
            RotateWebhookSecretInput,
            strawberry.argument(description="The webhook whose secret to replace."),
        ],
    ) -> RotateWebhookSecretPayload | None:
        return await payload_of(
            RotateWebhookSecretPayload,
            lambda: webhooks.rotate_webhook_secret(
                info.context.scope, database_id(input.id, "Webhook")
            ),
            field=None,
            wrap=_rotated,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Sends a delivery of one of the viewer's webhooks again, now, whatever its "
        "status, with the same `webhook-id` and a fresh retry schedule; earlier attempts stay "
        "listed.",
    )
    async def redeliver_webhook_delivery(
        self,
        info: Info,
        input: Annotated[
            RedeliverWebhookDeliveryInput,
            strawberry.argument(description="The delivery to send again."),
        ],
    ) -> WebhookDeliveryPayload | None:
        return await payload_of(
            WebhookDeliveryPayload,
            lambda: deliveries.redeliver(
                info.context.scope, database_id(input.id, "WebhookDelivery")
            ),
            field="delivery",
            wrap=WebhookDeliveryType.from_row,
        )
