import strawberry

from ...resolvers.accounts.users import get_viewer
from ..context import Info
from .types import ViewerType


@strawberry.type
class UserQueries:
    @strawberry.field(description="The signed-in user, or null for anonymous requests.")
    async def viewer(self, info: Info) -> ViewerType | None:
        if not info.context.actor.is_authenticated:
            return None
        return ViewerType.from_row(await get_viewer(info.context.scope))
