from datetime import datetime

import strawberry

from ...resolvers.issues.inputs import IssueChanges, IssueDraft, IssueFilter
from ..enums import IssueStatus, Severity
from ..relay import database_id, database_ids


@strawberry.input
class IssueFilterInput:
    company_ids: list[strawberry.ID] | None = None
    category_ids: list[strawberry.ID] | None = None
    severity: Severity | None = None
    status: IssueStatus | None = None
    created_after: datetime | None = strawberry.field(default=None, description="Inclusive.")
    created_before: datetime | None = strawberry.field(default=None, description="Exclusive.")
    search: str | None = strawberry.field(
        default=None, description="Words in the name or description, or a tag."
    )
    tag: str | None = None
    involving_me: bool = strawberry.field(
        default=False, description="Only issues the viewer owns or takes part in."
    )
    shared_with_user_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only issues both the viewer and this user take part in (shared issues).",
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


def _ids(values: list[strawberry.ID] | None, type_name: str, field: str) -> list[int] | None:
    return None if values is None else database_ids(values, type_name, field=field)


def user_id_of(value: strawberry.ID | None, field: str) -> int | None:
    return None if value is None else database_id(value, "User", field=field)


def decode_issue_id(global_id: str, field: str = "id") -> int:
    return database_id(global_id, "Issue", field=field)


@strawberry.input
class CreateIssueInput:
    name: str
    description: str = strawberry.field(description="Becomes the first event of the timeline.")
    severity: Severity = Severity.INFO
    category_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    tags: list[str] | None = None
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Any active user; the creator by default. Both take part."
    )
    external_reference_id: str | None = None
    webhook_url: str | None = strawberry.field(
        default=None, description="Receives this issue's events; a public address."
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


@strawberry.input
class UpdateIssueInput:
    id: strawberry.ID
    name: str | None = None
    description: str | None = strawberry.field(
        default=None, description="Added to the timeline as an update."
    )
    severity: Severity | None = None
    category_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Synced when given: categories not listed are removed."
    )
    tags: list[str] | None = strawberry.field(default=None, description="Synced when given.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="The new owner, who then takes part; the old one stays."
    )
    external_reference_id: str | None = strawberry.field(
        default=None, description="A blank value removes it."
    )
    webhook_url: str | None = strawberry.field(
        default=None, description="A blank value removes it."
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


@strawberry.input
class AddIssueEventInput:
    issue_id: strawberry.ID
    description: str


@strawberry.input
class CloseIssueInput:
    id: strawberry.ID
    description: str = strawberry.field(description="The closing event, kept as the conclusion.")


@strawberry.input
class DeleteIssueInput:
    id: strawberry.ID
