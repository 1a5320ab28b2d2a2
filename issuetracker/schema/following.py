"""Following issues and categories by e-mail: anyone, even anonymous, may ask; the address must
confirm. (Not GraphQL subscriptions, which push live events.)"""

from typing import Annotated

import strawberry

from ..resolvers.following import followers
from ..resolvers.following.followers import SubscribeResult
from .context import Info
from .errors import PAYLOAD_ERRORS, UserError, payload_of
from .relay import database_id

_EMAIL = (
    "The address to follow with; it gets a confirmation link, valid for two days. Never shown "
    "to anyone."
)


@strawberry.input(description="An address to follow an issue with.")
class SubscribeToIssueInput:
    issue_id: strawberry.ID = strawberry.field(
        description="An open issue the viewer may see (closed: ISSUE_CLOSED)."
    )
    email: str = strawberry.field(description=_EMAIL)


@strawberry.input(description="An address to follow a category with.")
class SubscribeToCategoryInput:
    category_id: strawberry.ID = strawberry.field(description="A category the viewer may see.")
    email: str = strawberry.field(description=_EMAIL)


@strawberry.type(description="The outcome of a request to follow by e-mail.")
class SubscribePayload:
    created: bool | None = strawberry.field(
        default=None,
        description="True when a confirmation e-mail was sent; false when the address was "
        "already subscribed or waiting to confirm (nothing is sent again).",
    )
    errors: list[UserError] = strawberry.field(description=PAYLOAD_ERRORS)


def _created(result: SubscribeResult) -> bool:
    return result.created


@strawberry.type
class FollowingMutations:
    @strawberry.mutation(
        description="Asks to e-mail an address about an issue's new events and its closing, "
        "once the address confirms. Anyone may ask, without a token."
    )
    async def subscribe_to_issue(
        self,
        info: Info,
        input: Annotated[
            SubscribeToIssueInput, strawberry.argument(description="The issue and the address.")
        ],
    ) -> SubscribePayload | None:
        return await payload_of(
            SubscribePayload,
            lambda: followers.subscribe_to_issue(
                info.context.scope,
                database_id(input.issue_id, "Issue", field="issue_id"),
                input.email,
            ),
            field="created",
            wrap=_created,
        )

    @strawberry.mutation(
        description="Asks to e-mail an address about issues created in a category, once the "
        "address confirms. Anyone may ask, without a token."
    )
    async def subscribe_to_category(
        self,
        info: Info,
        input: Annotated[
            SubscribeToCategoryInput,
            strawberry.argument(description="The category and the address."),
        ],
    ) -> SubscribePayload | None:
        return await payload_of(
            SubscribePayload,
            lambda: followers.subscribe_to_category(
                info.context.scope,
                database_id(input.category_id, "Category", field="category_id"),
                input.email,
            ),
            field="created",
            wrap=_created,
        )
