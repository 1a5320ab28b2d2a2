"""Per-request DataLoaders over the batched reads in `resolvers/<domain>/batches.py`."""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from strawberry.dataloader import DataLoader

from ..models import (
    ActionItem,
    Category,
    Company,
    CompanyInvitation,
    DeliveryAttempt,
    Fact,
    Invitation,
    Issue,
    IssueEvent,
    Role,
    Upload,
    User,
)
from ..resolvers.accounts import batches as user_batches
from ..resolvers.companies import batches as company_batches
from ..resolvers.companies.invitations import pending_invitations_by_company_ids
from ..resolvers.core.child_pages import Children, child_pages
from ..resolvers.core.orders import ListOrder
from ..resolvers.core.pagination import Page, PageArgs
from ..resolvers.core.scope import Scope
from ..resolvers.issues import batches
from ..resolvers.issues.issue_pages import Parent, issue_counts, issue_pages
from ..resolvers.issues.ordering import IssueOrder
from ..resolvers.webhooks.batches import attempts_by_message_ids

V = TypeVar("V")


def _loader(load: Callable[[Sequence[int]], Awaitable[list[V]]]) -> DataLoader[int, V]:
    async def load_fn(keys: list[int]) -> list[V]:
        return await load(keys)

    return DataLoader(load_fn=load_fn)


IssuePageKey = tuple[int, PageArgs, IssueOrder | None]
"""(the parent's id, the page, the order)"""


def _issue_pages(parent: Parent) -> DataLoader[IssuePageKey, Page[Issue]]:
    """One batch per distinct page arguments and order (usually one); a page's count is read
    in one batch with the other pages' counts, when asked for."""
    counts = _loader(lambda ids: issue_counts(parent, ids))

    async def load_fn(keys: list[IssuePageKey]) -> list[Page[Issue]]:
        by_args: dict[tuple[PageArgs, IssueOrder | None], list[int]] = defaultdict(list)
        for parent_id, args, order in keys:
            by_args[args, order].append(parent_id)
        pages: dict[IssuePageKey, Page[Issue]] = {}
        for (args, order), parent_ids in by_args.items():
            found = await issue_pages(parent, parent_ids, args, order)
            for parent_id, page in zip(parent_ids, found, strict=True):
                page.count = partial(counts.load, parent_id)
                pages[parent_id, args, order] = page
        return [pages[key] for key in keys]

    return DataLoader(load_fn=load_fn)


ChildPageKey = tuple[int, PageArgs, ListOrder]
"""(the parent's id, the page, the order)"""


def _child_pages(
    children: Children, whole: Callable[[int], Awaitable[list[Any]]]
) -> DataLoader[ChildPageKey, Page[Any]]:
    """One batch per distinct page arguments and order; a page's count is its parent's whole
    list's length, from the loader `whole` reads (one more batch, when asked for)."""

    async def load_fn(keys: list[ChildPageKey]) -> list[Page[Any]]:
        by_args: dict[tuple[PageArgs, ListOrder], list[int]] = defaultdict(list)
        for parent_id, args, order in keys:
            by_args[args, order].append(parent_id)
        pages: dict[ChildPageKey, Page[Any]] = {}
        for (args, order), parent_ids in by_args.items():
            found = await child_pages(children, parent_ids, args, order)
            for parent_id, page in zip(parent_ids, found, strict=True):
                page.count = partial(_length, whole, parent_id)
                pages[parent_id, args, order] = page
        return [pages[key] for key in keys]

    return DataLoader(load_fn=load_fn)


async def _length(whole: Callable[[int], Awaitable[list[Any]]], parent_id: int) -> int:
    return len(await whole(parent_id))


PartKey = tuple[str, int]
"""(which list, issue id)"""
PartBatch = Callable[[Sequence[int]], Awaitable[list[list[Any]]]]


def _issue_lists(batches_by_kind: Mapping[str, PartBatch]) -> DataLoader[PartKey, list[Any]]:
    """One loader for the lists of an issue that name users (its events, invitations, action
    items, facts, uploads): the lists a query asks for at the same time are read in the same
    batch (one statement each) and become ready together, so the users they name are then read
    in one batch too, whatever the timing of the database."""

    async def load_fn(keys: list[PartKey]) -> list[list[Any]]:
        by_kind: dict[str, list[int]] = defaultdict(list)
        for kind, issue_id in keys:
            by_kind[kind].append(issue_id)
        found: dict[PartKey, list[Any]] = {}
        for kind, issue_ids in by_kind.items():
            rows = await batches_by_kind[kind](issue_ids)
            found.update(zip(((kind, issue_id) for issue_id in issue_ids), rows, strict=True))
        return [found[key] for key in keys]

    return DataLoader(load_fn=load_fn)


@dataclass(frozen=True, slots=True)
class IssueListLoader(Generic[V]):
    """One kind of an issue's lists, loaded through the shared `_issue_lists` loader."""

    shared: DataLoader[PartKey, list[Any]]
    kind: str

    def load(self, issue_id: int) -> Awaitable[list[V]]:
        return self.shared.load((self.kind, issue_id))


@dataclass(frozen=True, slots=True)
class Loaders:
    categories_by_issue_id: DataLoader[int, list[Category]]
    categories_by_company_id: DataLoader[int, list[Category]]
    company_by_id: DataLoader[int, Company | None]
    events_by_issue_id: IssueListLoader[IssueEvent]
    user_by_id: DataLoader[int, User | None]
    participants_by_issue_id: DataLoader[int, list[User]]
    tags_by_issue_id: DataLoader[int, list[str]]
    subscriber_count_by_issue_id: DataLoader[int, int]
    viewer_role_by_company_id: DataLoader[int, Role | None]
    changeable_by_issue_id: DataLoader[int, bool]
    attempts_by_delivery_id: DataLoader[int, list[DeliveryAttempt]]
    issue_page_by_category: DataLoader[IssuePageKey, Page[Issue]]
    issue_page_by_company: DataLoader[IssuePageKey, Page[Issue]]
    webhook_by_issue_id: DataLoader[int, batches.IssueWebhook | None]
    invitations_by_issue_id: IssueListLoader[Invitation]
    action_items_by_issue_id: IssueListLoader[ActionItem]
    facts_by_issue_id: IssueListLoader[Fact]
    uploads_by_issue_id: IssueListLoader[Upload]
    pending_invitations_by_company_id: DataLoader[int, list[CompanyInvitation]]
    category_page_by_company: DataLoader[ChildPageKey, Page[Any]]
    event_page_by_issue: DataLoader[ChildPageKey, Page[Any]]

    @classmethod
    def for_scope(cls, scope: Scope) -> "Loaders":
        actor = scope.actor
        lists = _issue_lists(
            {
                "events": batches.events_by_issue_ids,
                "invitations": lambda ids: batches.invitations_by_issue_ids(actor, ids),
                "action_items": batches.action_items_by_issue_ids,
                "facts": batches.facts_by_issue_ids,
                "uploads": batches.uploads_by_issue_ids,
            }
        )
        categories = _loader(company_batches.categories_by_company_ids)
        events: IssueListLoader[IssueEvent] = IssueListLoader(lists, "events")
        return cls(
            categories_by_issue_id=_loader(lambda ids: batches.categories_by_issue_ids(actor, ids)),
            categories_by_company_id=categories,
            company_by_id=_loader(lambda ids: company_batches.companies_by_ids(actor, ids)),
            events_by_issue_id=events,
            user_by_id=_loader(user_batches.users_by_ids),
            participants_by_issue_id=_loader(batches.participants_by_issue_ids),
            tags_by_issue_id=_loader(batches.tags_by_issue_ids),
            subscriber_count_by_issue_id=_loader(batches.subscriber_counts_by_issue_ids),
            viewer_role_by_company_id=_loader(
                lambda ids: company_batches.roles_by_company_ids(actor, ids)
            ),
            changeable_by_issue_id=_loader(lambda ids: batches.changeable_by_issue_ids(actor, ids)),
            attempts_by_delivery_id=_loader(attempts_by_message_ids),
            issue_page_by_category=_issue_pages(Parent.CATEGORY),
            issue_page_by_company=_issue_pages(Parent.COMPANY),
            webhook_by_issue_id=_loader(lambda ids: batches.webhooks_by_issue_ids(actor, ids)),
            invitations_by_issue_id=IssueListLoader(lists, "invitations"),
            action_items_by_issue_id=IssueListLoader(lists, "action_items"),
            facts_by_issue_id=IssueListLoader(lists, "facts"),
            uploads_by_issue_id=IssueListLoader(lists, "uploads"),
            pending_invitations_by_company_id=_loader(
                lambda ids: pending_invitations_by_company_ids(scope, ids)
            ),
            category_page_by_company=_child_pages(
                Children(Category, "company_id"), categories.load
            ),
            event_page_by_issue=_child_pages(Children(IssueEvent, "issue_id"), events.load),
        )
