"""`orderBy` on the lists other than issues, as GitHub's API has it: a field and a direction,
with keyset cursors in each order (`resolvers/core/orders.py`)."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from ..resolvers.accounts.token_order import TokenOrder, TokenOrderField
from ..resolvers.core.orders import ListOrder, ListOrderField
from .enums import OrderDirection

_CREATED = strawberry.enum_value(ListOrderField.CREATED_AT.value, description="When it was made.")
_NAME = strawberry.enum_value(
    ListOrderField.NAME.value, description="Its name, case-insensitively."
)


@strawberry.enum(description="What a company list can be ordered by; ties go by id.")
class CompanyOrderField(Enum):
    NAME = _NAME
    CREATED_AT = _CREATED


@strawberry.enum(description="What a category list can be ordered by; ties go by id.")
class CategoryOrderField(Enum):
    NAME = _NAME
    CREATED_AT = _CREATED


@strawberry.enum(description="What a webhook list can be ordered by; ties go by id.")
class WebhookOrderField(Enum):
    CREATED_AT = _CREATED


@strawberry.enum(description="What an issue's timeline can be ordered by; ties go by id.")
class IssueEventOrderField(Enum):
    CREATED_AT = _CREATED


@strawberry.enum(description="What a webhook's deliveries can be ordered by; ties go by id.")
class DeliveryOrderField(Enum):
    CREATED_AT = _CREATED


@strawberry.enum(description="What the viewer's token list can be ordered by; ties go by id.")
class ApiTokenOrderField(Enum):
    CREATED_AT = _CREATED
    LAST_USED_AT = strawberry.enum_value(
        TokenOrderField.LAST_USED_AT.value,
        description="When it last authenticated a request; a token never used counts as used "
        "after all others (last when ASC, first when DESC).",
    )


class _ToListOrder:
    """What the order inputs of the lists other than issues give the logic (their `field`
    enum's value names are the logic's fields)."""

    if TYPE_CHECKING:  # each input declares them, as Strawberry fields
        field: Enum
        direction: OrderDirection

    def to_order(self) -> ListOrder:
        return _order(self.field.name, self.direction)


_DIRECTION = "Which way: ASC puts the lowest (earliest, A) first, DESC the highest."


@strawberry.input(name="CompanyOrder", description="The order of a company list.")
class CompanyOrderInput(_ToListOrder):
    field: CompanyOrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(description=_DIRECTION)


@strawberry.input(name="CategoryOrder", description="The order of a category list.")
class CategoryOrderInput(_ToListOrder):
    field: CategoryOrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(description=_DIRECTION)


@strawberry.input(name="IssueEventOrder", description="The order of an issue's timeline.")
class IssueEventOrderInput(_ToListOrder):
    field: IssueEventOrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(description=_DIRECTION)


@strawberry.input(name="DeliveryOrder", description="The order of a webhook's deliveries.")
class DeliveryOrderInput(_ToListOrder):
    field: DeliveryOrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(description=_DIRECTION)


@strawberry.input(name="WebhookOrder", description="The order of a webhook list.")
class WebhookOrderInput(_ToListOrder):
    field: WebhookOrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(description=_DIRECTION)


def _order(name: str, direction: OrderDirection) -> ListOrder:
    """The GraphQL enum value's name is the logic's field's."""
    return ListOrder(ListOrderField[name], descending=direction is OrderDirection.DESC)


def _described(what: str, default: str) -> str:
    return (
        f"How to order the {what}; {default} when left out. A cursor works only in the order "
        "it came from."
    )


CompanyOrderBy = Annotated[
    CompanyOrderInput | None,
    strawberry.argument(description=_described("companies", "oldest first")),
]
CategoryOrderBy = Annotated[
    CategoryOrderInput | None,
    strawberry.argument(description=_described("categories", "oldest first")),
]
IssueEventOrderBy = Annotated[
    IssueEventOrderInput | None,
    strawberry.argument(description=_described("timeline", "oldest first")),
]
DeliveryOrderBy = Annotated[
    DeliveryOrderInput | None,
    strawberry.argument(description=_described("deliveries", "newest first")),
]
WebhookOrderBy = Annotated[
    WebhookOrderInput | None,
    strawberry.argument(description=_described("webhooks", "oldest first")),
]


OrderInput = (
    CompanyOrderInput
    | CategoryOrderInput
    | IssueEventOrderInput
    | DeliveryOrderInput
    | WebhookOrderInput
)


def list_order(given: OrderInput | None) -> ListOrder | None:
    return given.to_order() if given is not None else None


@strawberry.input(name="ApiTokenOrder", description="The order of the viewer's token list.")
class ApiTokenOrderInput:
    field: ApiTokenOrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(description=_DIRECTION)

    def to_order(self) -> TokenOrder:
        descending = self.direction is OrderDirection.DESC
        return TokenOrder(TokenOrderField[self.field.name], descending=descending)


ApiTokenOrderBy = Annotated[
    ApiTokenOrderInput | None,
    strawberry.argument(description="How to order the tokens; newest first when left out."),
]
