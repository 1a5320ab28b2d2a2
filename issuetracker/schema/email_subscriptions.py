"""Following issues and categories by e-mail: anyone, even anonymous, may ask; the address must
confirm. (Not GraphQL subscriptions, which push live events.)"""

import strawberry

from ..resolvers.subscriptions import subscriptions
from ..resolvers.subscriptions.subscriptions import SubscribeResult
from .context import Info
from .errors import UserError, payload_of
from .relay import database_id


@strawberry.input
class SubscribeToIssueInput:
    issue_id: strawberry.ID
    email: str


@strawberry.input
class SubscribeToCategoryInput:
    category_id: strawberry.ID
    email: str


@strawberry.type
class SubscribePayload:
    created: bool | None = strawberry.field(
        default=None,
        description="True when a confirmation e-mail was sent; false when the address was "
        "already subscribed or waiting to confirm (nothing is sent again).",
    )
    errors: list[UserError]


def _created(result: SubscribeResult) -> bool:
    return result.created


@strawberry.type
class EmailSubscriptionMutations:
    @strawberry.mutation
    async def subscribe_to_issue(
        self, info: Info, input: SubscribeToIssueInput
    ) -> SubscribePayload:
        return await payload_of(
            SubscribePayload,
            lambda: subscriptions.subscribe_to_issue(
                info.context.scope,
                database_id(input.issue_id, "Issue", field="issue_id"),
                input.email,
            ),
            field="created",
            wrap=_created,
        )

    @strawberry.mutation
    async def subscribe_to_category(
        self, info: Info, input: SubscribeToCategoryInput
    ) -> SubscribePayload:
        return await payload_of(
            SubscribePayload,
            lambda: subscriptions.subscribe_to_category(
                info.context.scope,
                database_id(input.category_id, "Category", field="category_id"),
                input.email,
            ),
            field="created",
            wrap=_created,
        )
