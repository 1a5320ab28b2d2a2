"""How the rules name the rows they join, and how a relation's rows are written.

A rule is given the alias of the row it speaks of and writes SQL about it; the rows it joins
to decide get aliases made by `inner`, named after that row and the rule's role for them. So
no rule picks a name that another could pick too (a rule never nests in itself on the same
row), and a statement built twice has the same text twice (databases keep plans by text), as
pg-sql2's `sql.identifier(Symbol())` gives unique names when the statement is compiled.

A `Relation` is the rows of a table that belong to a parent row, with the rule of which of
them a viewer is shown as data (Hasura's permission filter on a relation): every path that
reads the relation writes it from here, and so gets the rule.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from .sql import Viewer

_NOT_NAME = re.compile(r"\W")


def inner(row: str, role: str) -> str:
    """The alias of a row joined under `row` (an alias, a quoted table name or a viewer's
    SQL expression) for `role` (one word)."""
    name = _NOT_NAME.sub("", row.replace(".", "_"))
    return f"{name}_{role}" if name[:1].isalpha() else f"{role}_{name}"


def link_of(row: str) -> str:
    """The alias of the link table row through which `row` is reached."""
    return inner(row, "link")


ShownRule = Callable[[str, str, Viewer], str]
"""(the related row's alias, the parent's id as SQL, the viewer) -> the condition that the
viewer is shown the row."""


@dataclass(frozen=True)
class Relation:
    """The rows of `table` that belong to a parent: those whose `parent_column` holds the
    parent's id, or, with `link`, those a link table row joins to it (`link` is the link table
    and its column naming the row; its `parent_column` names the parent)."""

    table: str
    parent_column: str
    link: tuple[str, str] | None = None
    shown: ShownRule | None = None
    order: str = "id"
    """The column the rows are listed by: the row's, or with `order_by_link` the link's."""
    order_by_link: bool = False

    def condition(self, row: str, parent_id: str, viewer: Viewer, link: str | None = None) -> str:
        """SQL: `row` (joined through the link row `link`) belongs to the parent and is shown
        to the viewer."""
        belongs = f"{link or row}.{self.parent_column} = {parent_id}"
        if self.shown is None:
            return belongs
        return f"{belongs} AND {self.shown(row, parent_id, viewer)}"

    def rows(self, row: str, parent_id: str, viewer: Viewer) -> tuple[str, str]:
        """`FROM ... WHERE ...` of the parent's rows shown to the viewer, and their order."""
        if self.link is None:
            where = self.condition(row, parent_id, viewer)
            return f"FROM {self.table} AS {row} WHERE {where}", f"{row}.{self.order}"
        link_table, column = self.link
        link = link_of(row)
        where = self.condition(row, parent_id, viewer, link)
        joined = f"{link_table} AS {link} JOIN {self.table} AS {row} ON {row}.id = {link}.{column}"
        order = f"{link if self.order_by_link else row}.{self.order}"
        return f"FROM {joined} WHERE {where}", order
