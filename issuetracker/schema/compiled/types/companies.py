"""The company types: a company and its categories."""

from ....resolvers.companies.relations import CATEGORIES, viewer_membership
from ....resolvers.issues.relations import issues_of_category, issues_of_company
from ....resolvers.status.urls import STATUS_PREFIX, status_page_url_sql
from ....sqljson.dialects import nullable
from ..connections import Paging
from ..fields import BOOLEAN, DATETIME, TEXT, ObjectType, column, define, node_fields
from ..issue_order import issue_key, list_key
from ..selections import Selection
from ..statements import Binding, Builder
from ..viewer_flags import CATEGORY_FLAGS, COMPANY_FLAGS
from .related import connection_of, relation_connection, to_one


def _viewer_role(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    viewer = builder.viewer()
    if viewer is None:
        return "'null'"
    membership, rows = viewer_membership(alias, viewer)
    return nullable(f"(SELECT {builder.dialect.enum_name(f'{membership}.role')} {rows})")


def _status_page_url(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
    base = builder.param(lambda bound: bound.public_url.rstrip("/") + STATUS_PREFIX)
    return nullable(builder.dialect.text(status_page_url_sql(alias, base)))


define(
    ObjectType(
        "Company",
        "companies",
        {
            **node_fields("Company"),
            "name": column("name", TEXT),
            "logoUrl": column("logo_url", TEXT, null=True),
            "isPublic": column("is_public", BOOLEAN),
            "slug": column("slug", TEXT, null=True),
            "statusPageUrl": _status_page_url,
            "createdAt": column("created_at", DATETIME),
            "updatedAt": column("updated_at", DATETIME),
            "categories": relation_connection("Category", CATEGORIES, key=list_key()),
            "issues": connection_of(
                "Issue",
                "issues",
                lambda builder, row, parent: issues_of_company(row, f"{parent}.id"),
                newest_first=True,
                paging=Paging.QUERY,
                key=issue_key(),
            ),
            "viewerRole": _viewer_role,
            **COMPANY_FLAGS,
        },
    )
)
define(
    ObjectType(
        "Category",
        "categories",
        {
            **node_fields("Category"),
            "name": column("name", TEXT),
            "createdAt": column("created_at", DATETIME),
            "updatedAt": column("updated_at", DATETIME),
            "company": to_one("Company", "companies", "company_id", null=False),
            "issues": connection_of(
                "Issue",
                "issues",
                lambda builder, row, parent: issues_of_category(row, f"{parent}.id"),
                newest_first=True,
                paging=Paging.QUERY,
                link=("issue_categories", "issue_id"),
                key=issue_key(),
            ),
            **CATEGORY_FLAGS,
        },
    )
)
