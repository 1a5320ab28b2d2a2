from datetime import datetime
from typing import Annotated

import strawberry

from ...resolvers.issues.inputs import IssueChanges, IssueDraft, IssueFilter
from ...resolvers.issues.ordering import IssueOrder, IssueOrderField
from ..enums import IssueStatus, OrderDirection, Severity
from ..relay import database_id, database_ids


@strawberry.input(
    description="Which issues a list holds, among those the viewer may see; every condition "
    "given must hold."
)
class IssueFilterInput:
    company_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Only issues in a category of one of these companies; an id the viewer may "
        "not see makes the query fail (BAD_USER_INPUT).",
    )
    category_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Only issues in one of these categories; an id the viewer may not see "
        "makes the query fail (BAD_USER_INPUT).",
    )
    severity: Severity | None = strawberry.field(
        default=None, description="Only issues of this severity."
    )
    status: IssueStatus | None = strawberry.field(
        default=None, description="Only open, or only closed, issues."
    )
    created_after: datetime | None = strawberry.field(
        default=None, description="Only issues created at this moment or later (inclusive)."
    )
    created_before: datetime | None = strawberry.field(
        default=None, description="Only issues created before this moment (exclusive)."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Only issues this search finds (at most 255 characters), the same on "
        "every database. A word finds issues whose name, description or a tag has a word "
        "starting with it, ignoring case and accents (stop words too); every word must match. "
        '`"a phrase"` finds those words in a row; `-word` and `-"phrase"` exclude. '
        "Qualifiers: `is:open`, `is:closed`, `is:deleted` (the deleted issues the viewer may "
        'see), `severity:critical|important|info`, `tag:NAME`, `company:"Name"`, '
        '`category:"Name"`, `owner:me`, `involves:me` (need a token), '
        "`created:>2026-01-01` (also `>=`, `<`, `<=`, a day, or `2026-01-01..2026-01-31` with "
        "`*` for an open end; days in UTC). An unknown qualifier fails the query "
        "(BAD_USER_INPUT), naming it; put text with a colon in quotes. Example: "
        '`printer "paper jam" -toner is:open severity:critical created:>2026-01-01`.',
    )
    tag: str | None = strawberry.field(
        default=None, description="Only issues with this tag (compared in lower case)."
    )
    involving_me: bool = strawberry.field(
        default=False,
        description="Only issues the viewer owns or takes part in; needs a token "
        "(UNAUTHENTICATED).",
    )
    shared_with_user_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only issues both the viewer and this user take part in (shared issues); "
        "needs a token.",
    )
    deleted: bool = strawberry.field(
        default=False, description="Deleted issues instead of the others."
    )

    def to_filter(self) -> IssueFilter:
        return IssueFilter(
            company_ids=_ids(self.company_ids, "Company", "company_ids"),
            category_ids=_ids(self.category_ids, "Category", "category_ids"),
            severity=self.severity,
            status=self.status,
            created_after=self.created_after,
            created_before=self.created_before,
            search=self.search,
            tag=self.tag,
            involving_viewer=self.involving_me,
            shared_with_user_id=user_id_of(self.shared_with_user_id, "shared_with_user_id"),
            deleted=self.deleted,
        )


@strawberry.input(name="IssueOrder", description="The order of an issue list, as in GitHub's API.")
class IssueOrderInput:
    field: IssueOrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(
        description="Which way: ASC puts the lowest first, DESC the highest."
    )

    def to_order(self) -> IssueOrder:
        return IssueOrder(self.field, descending=self.direction is OrderDirection.DESC)


IssueOrderBy = Annotated[
    IssueOrderInput | None,
    strawberry.argument(
        description="How to order the issues; newest first when left out. A cursor works only "
        "in the order it came from."
    ),
]


def order_of(given: IssueOrderInput | None) -> IssueOrder | None:
    return given.to_order() if given is not None else None


def _ids(values: list[strawberry.ID] | None, type_name: str, field: str) -> list[int] | None:
    return None if values is None else database_ids(values, type_name, field=field)


def user_id_of(value: strawberry.ID | None, field: str) -> int | None:
    return None if value is None else database_id(value, "User", field=field)


def decode_issue_id(global_id: str, field: str = "id") -> int:
    return database_id(global_id, "Issue", field=field)


_NAME = "The issue's title, 1 to 255 characters."
_TAGS = "Free-form tags: at most 20, each at most 64 characters, kept in lower case."


@strawberry.input(description="A new issue.")
class CreateIssueInput:
    name: str = strawberry.field(description=_NAME)
    description: str = strawberry.field(
        description="What is wrong, at most 65535 characters; it becomes the first event of "
        "the timeline (none when blank)."
    )
    severity: Severity = strawberry.field(default=Severity.INFO, description="How severe it is.")
    category_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="The categories to file it in, of companies the viewer is a member of; "
        "with none, the issue belongs to its owner and participants.",
    )
    tags: list[str] | None = strawberry.field(default=None, description=_TAGS)
    owner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Any active user the creator may see (who shares a company or an issue "
        "with them); the creator by default. Both take part.",
    )
    external_reference_id: str | None = strawberry.field(
        default=None,
        description="The issue's id in another system, at most 255 characters.",
    )
    webhook_url: str | None = strawberry.field(
        default=None,
        description="Receives this issue's events; an http(s) URL that reaches a public "
        "address (UNSAFE_URL otherwise).",
    )

    def to_draft(self) -> IssueDraft:
        return IssueDraft(
            name=self.name,
            description=self.description,
            severity=self.severity,
            category_ids=_ids(self.category_ids, "Category", "category_ids"),
            tags=self.tags,
            owner_id=user_id_of(self.owner_id, "owner_id"),
            external_reference_id=self.external_reference_id,
            webhook_url=self.webhook_url,
        )


@strawberry.input(description="Changes to an issue; what is left out (or null) stays as it is.")
class UpdateIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue to change.")
    name: str | None = strawberry.field(default=None, description=_NAME)
    description: str | None = strawberry.field(
        default=None,
        description="A new description, at most 65535 characters, also added to the timeline "
        "as an UPDATED event; a blank one changes nothing.",
    )
    severity: Severity | None = strawberry.field(default=None, description="A new severity.")
    category_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="The issue's categories from now on: categories not listed are removed; "
        "new ones need membership of their companies.",
    )
    tags: list[str] | None = strawberry.field(
        default=None,
        description="The issue's tags from now on (at most 20): tags not listed are removed.",
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The new owner, an active user the editor may see (who shares a company "
        "or an issue with them), who then takes part; the old one stays.",
    )
    external_reference_id: str | None = strawberry.field(
        default=None,
        description="The issue's id in another system, at most 255 characters; blank removes it.",
    )
    webhook_url: str | None = strawberry.field(
        default=None,
        description="Receives this issue's events; an http(s) URL that reaches a public "
        "address. Blank removes it.",
    )

    def to_changes(self) -> IssueChanges:
        return IssueChanges(
            name=self.name,
            description=self.description,
            severity=self.severity,
            category_ids=_ids(self.category_ids, "Category", "category_ids"),
            tags=self.tags,
            owner_id=user_id_of(self.owner_id, "owner_id"),
            external_reference_id=self.external_reference_id,
            webhook_url=self.webhook_url,
        )


@strawberry.input(description="A note for an issue's timeline.")
class AddIssueEventInput:
    issue_id: strawberry.ID = strawberry.field(description="The issue's global id.")
    description: str = strawberry.field(description="The note, 1 to 65535 characters.")


@strawberry.input(description="The issue to close, and why.")
class CloseIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue's global id.")
    description: str = strawberry.field(
        description="The conclusion, 1 to 65535 characters; it also becomes the CLOSED event "
        "of the timeline."
    )


@strawberry.input(description="The issue to delete.")
class DeleteIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue's global id.")
