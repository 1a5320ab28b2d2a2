"""Per-request DataLoaders over the batched reads in `resolvers.batches`."""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from strawberry.dataloader import DataLoader

from ..models import Category, Company, DeliveryAttempt, Issue, IssueEvent, Role, User
from ..resolvers import batches
from ..resolvers.actor import Actor
from ..resolvers.category_pages import issue_pages_by_category
from ..resolvers.pagination import Page, PageArgs

V = TypeVar("V")


def _loader(load: Callable[[Sequence[int]], Awaitable[list[V]]]) -> DataLoader[int, V]:
    async def load_fn(keys: list[int]) -> list[V]:
        return await load(keys)

    return DataLoader(load_fn=load_fn)


async def _issue_pages(keys: list[tuple[int, PageArgs]]) -> list[Page[Issue]]:
    """One batch per distinct page arguments (usually one)."""
    by_args: dict[PageArgs, list[int]] = defaultdict(list)
    for category_id, args in keys:
        by_args[args].append(category_id)
    pages: dict[tuple[int, PageArgs], Page[Issue]] = {}
    for args, category_ids in by_args.items():
        found = await issue_pages_by_category(category_ids, args)
        pages.update(zip(((cid, args) for cid in category_ids), found, strict=True))
    return [pages[key] for key in keys]


@dataclass(frozen=True, slots=True)
class Loaders:
    categories_by_issue_id: DataLoader[int, list[Category]]
    categories_by_company_id: DataLoader[int, list[Category]]
    company_by_id: DataLoader[int, Company | None]
    events_by_issue_id: DataLoader[int, list[IssueEvent]]
    user_by_id: DataLoader[int, User | None]
    participants_by_issue_id: DataLoader[int, list[User]]
    tags_by_issue_id: DataLoader[int, list[str]]
    subscriber_count_by_issue_id: DataLoader[int, int]
    viewer_role_by_company_id: DataLoader[int, Role | None]
    attempts_by_delivery_id: DataLoader[int, list[DeliveryAttempt]]
    issue_page_by_category: DataLoader[tuple[int, PageArgs], Page[Issue]]

    @classmethod
    def for_actor(cls, actor: Actor) -> "Loaders":
        return cls(
            categories_by_issue_id=_loader(lambda ids: batches.categories_by_issue_ids(actor, ids)),
            categories_by_company_id=_loader(batches.categories_by_company_ids),
            company_by_id=_loader(lambda ids: batches.companies_by_ids(actor, ids)),
            events_by_issue_id=_loader(batches.events_by_issue_ids),
            user_by_id=_loader(batches.users_by_ids),
            participants_by_issue_id=_loader(batches.participants_by_issue_ids),
            tags_by_issue_id=_loader(batches.tags_by_issue_ids),
            subscriber_count_by_issue_id=_loader(batches.subscriber_counts_by_issue_ids),
            viewer_role_by_company_id=_loader(lambda ids: batches.roles_by_company_ids(actor, ids)),
            attempts_by_delivery_id=_loader(batches.attempts_by_message_ids),
            issue_page_by_category=DataLoader(load_fn=_issue_pages),
        )
