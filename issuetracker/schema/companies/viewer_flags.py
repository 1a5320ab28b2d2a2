"""What the viewer may do with a company or a category, as GitHub's `viewerCan…` fields:
true exactly when the mutation named would be allowed, by the role rule it checks."""

from typing import TYPE_CHECKING, Any

import strawberry

from ...resolvers.core.permissions import manages
from ..context import Info

if TYPE_CHECKING:
    from .types import CategoryType, CompanyType


async def _administers(root: "CompanyType", info: Info) -> bool:
    return manages(await info.context.loaders.viewer_role_by_company_id.load(root.database_id))


async def _member_of_company(root: "CompanyType", info: Info) -> bool:
    return await info.context.loaders.viewer_role_by_company_id.load(root.database_id) is not None


async def _member_of_categorys_company(root: "CategoryType", info: Info) -> bool:
    loader = info.context.loaders.viewer_role_by_company_id
    return await loader.load(root._company_id) is not None


def administers(description: str) -> Any:
    return strawberry.field(resolver=_administers, description=description)


def member_of_company(description: str) -> Any:
    return strawberry.field(resolver=_member_of_company, description=description)


def member_of_categorys_company(description: str) -> Any:
    return strawberry.field(resolver=_member_of_categorys_company, description=description)
