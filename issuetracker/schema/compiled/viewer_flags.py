"""The `viewerCan…` flags in SQL: the rules the mutations check (resolvers/), for each row."""

from collections.abc import Callable

from ...resolvers.core.permissions import MANAGER_ROLES, may_change_issue_sql, member_sql
from ...resolvers.following.followers import takes_followers_sql
from .fields import FieldSql
from .selections import Selection
from .statements import Binding, Builder, NotCompiled

Rule = Callable[[str, str | None], str]
"""(the row's alias, the viewer as SQL or None) -> an SQL condition, never NULL"""


def _flag(rule: Rule) -> FieldSql:
    def sql(builder: Builder, selection: Selection, alias: str, binding: Binding) -> str:
        if builder.read_only:  # all false, as the executor answers: a rare reader
            raise NotCompiled("a read-only token's flags")
        # Each rule is true or false, never NULL: one evaluation, not `Dialect.boolean`'s two.
        return f"CASE WHEN {rule(alias, builder.viewer())} THEN 'true' ELSE 'false' END"

    return sql


_MAY_CHANGE = _flag(may_change_issue_sql)

ISSUE_FLAGS: dict[str, FieldSql] = {
    "viewerCanUpdate": _MAY_CHANGE,
    "viewerCanClose": _MAY_CHANGE,
    "viewerCanDelete": _MAY_CHANGE,
    "viewerCanAddEvent": _MAY_CHANGE,
    "viewerCanFollow": _flag(lambda row, viewer: takes_followers_sql(row)),
}

_ADMINISTERS = _flag(lambda row, viewer: member_sql(f"{row}.id", viewer, MANAGER_ROLES))

COMPANY_FLAGS: dict[str, FieldSql] = {
    "viewerCanAdminister": _ADMINISTERS,
    "viewerCanDelete": _ADMINISTERS,
    "viewerCanCreateCategory": _flag(lambda row, viewer: member_sql(f"{row}.id", viewer)),
}

_MEMBER_OF_COMPANY = _flag(lambda row, viewer: member_sql(f"{row}.company_id", viewer))

CATEGORY_FLAGS: dict[str, FieldSql] = {
    "viewerCanUpdate": _MEMBER_OF_COMPANY,
    "viewerCanDelete": _MEMBER_OF_COMPANY,
}
