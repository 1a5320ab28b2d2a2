"""Answering the hot mutations without the executor: the logic's own function makes the write
(as the mutation's resolver would), then one compiled statement reads the payload the document
asks for from the written row; when it asks only for the row's own columns, they are shown
from the values the write returned (`written.py`), and no statement reads them back.

A mutation goes to the executor instead when it is not one of these, shares its document with
other root fields, asks for what the compiled path does not cover, or is refused (unsigned,
invalid input, no right): nothing was written then, and the executor, running the logic again,
gives the error where and as it always does."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graphql import OperationType

from ...resolvers.core.errors import DomainError
from ...resolvers.core.scope import Scope
from ...resolvers.issues import writes
from ...resolvers.issues.notes import add_note
from ...sqljson.dialects import Dialect, json_key, json_object, literal
from ...sqljson.statements import current_dialect, fetch_text
from ..issues.inputs import decode_issue_id
from .fields import object_json
from .plans import RootPlan
from .roots import Constant, Root
from .selections import TYPENAME, Request, Selection, root_selections
from .statements import Binding, Builder, Fallback, NotCompiled
from .written import Shown, joined, own_fields

WRITTEN = "written row"
"""The binding's memo holding the written row's id."""


@dataclass(frozen=True)
class Write:
    payload: str
    field: str
    """The payload's field holding the written object."""
    type_name: str
    table: str
    run: Callable[[Scope, dict[str, Any]], Awaitable[Any]]
    """Makes the write from the resolver's arguments; the written row (its `id` and columns)."""


async def _add_note(scope: Scope, arguments: dict[str, Any]) -> Any:
    given = arguments["input"]
    issue_id = decode_issue_id(given.issue_id, "issue_id")
    return await add_note(scope, issue_id, given.description)


async def _create_issue(scope: Scope, arguments: dict[str, Any]) -> Any:
    return await writes.create_issue(scope, arguments["input"].to_draft())


async def _close_issue(scope: Scope, arguments: dict[str, Any]) -> Any:
    given = arguments["input"]
    return await writes.close_issue(scope, decode_issue_id(given.id), given.description)


async def _update_issue(scope: Scope, arguments: dict[str, Any]) -> Any:
    given = arguments["input"]
    issue_id = decode_issue_id(given.id)
    return await writes.update_issue(scope, issue_id, given.to_changes())


async def _delete_issue(scope: Scope, arguments: dict[str, Any]) -> Any:
    issue_id = decode_issue_id(arguments["input"].id)
    return await writes.delete_issue(scope, issue_id)


WRITES = {
    "addIssueEvent": Write("IssueEventPayload", "event", "IssueEvent", "issue_events", _add_note),
    "createIssue": Write("IssuePayload", "issue", "Issue", "issues", _create_issue),
    "closeIssue": Write("IssuePayload", "issue", "Issue", "issues", _close_issue),
    "updateIssue": Write("IssuePayload", "issue", "Issue", "issues", _update_issue),
    "deleteIssue": Write("IssuePayload", "issue", "Issue", "issues", _delete_issue),
}


def _payload_sql(write: Write) -> Callable[[Builder, Selection, Binding], "str | Constant"]:
    def sql(builder: Builder, selection: Selection, binding: Binding) -> str:
        row = builder.alias("w")
        written = builder.int_param(lambda bound: bound.memo(WRITTEN, _unset))
        pairs = []
        for child in selection.children():
            if child.name == TYPENAME:
                pairs.append((child.key, literal(json_key(write.payload))))
            elif child.name == write.field:
                shown = object_json(
                    builder, write.type_name, child.children(write.type_name), row, binding
                )
                found = f"SELECT {shown} FROM {write.table} AS {row} WHERE {row}.id = {written}"
                pairs.append((child.key, f"({found})"))
            elif child.name == "errors":
                pairs.append((child.key, literal("[]")))
            else:
                raise NotCompiled(f"{write.payload}.{child.name}")
        return f"SELECT {json_object(pairs)}"

    return sql


def _unset() -> int:
    raise AssertionError("the payload is read once the write is made")


def _payload_from_row(write: Write, selection: Selection) -> Shown | None:
    """The payload's JSON from the written row, or None when it needs a read."""
    parts: list[tuple[str, Shown | str]] = []
    for child in selection.children():
        if child.name == TYPENAME:
            parts.append((child.key, json_key(write.payload)))
        elif child.name == write.field and not child.uses_fragment_variables:
            shown = own_fields(write.type_name, child.children(write.type_name))
            if shown is None:
                return None
            parts.append((child.key, shown))
        elif child.name == "errors":
            parts.append((child.key, "[]"))
        else:
            return None
    return joined(parts)


@dataclass
class WritePlan:
    write: Write
    root: RootPlan
    from_row: Shown | None
    """The payload shown from the written row (no read), when it asks only for its columns."""


class CompiledWrites:
    """Plans kept by document, as the reads' are."""

    def __init__(self) -> None:
        self._plans: dict[tuple[str, str | None], WritePlan | None] = {}
        self._dialect: Dialect | None = None

    def plan(self, request: Request, source: str) -> WritePlan | None:
        operation = request.operation
        key = (source, operation.name.value if operation.name else None)
        if key not in self._plans:
            if len(self._plans) > 512:
                self._plans.clear()
            self._plans[key] = _planned(request)
        return self._plans[key]

    async def answer(self, plan: WritePlan, scope: Scope, binding: Binding) -> str | None:
        """The field's JSON text, or None when the executor must answer (nothing written)."""
        if not scope.actor.is_authenticated:
            return None
        try:
            if plan.from_row is not None:
                row = await plan.write.run(scope, binding.arguments_of(plan.root.selection))
                return plan.from_row(row)
            self._dialect = self._dialect or current_dialect()  # one database a process
            statement = plan.root.prepared(binding, self._dialect)
            arguments = binding.arguments_of(plan.root.selection)
            written = (await plan.write.run(scope, arguments)).id
        except (DomainError, Fallback):
            return None
        binding.memo(WRITTEN, lambda: written)
        if isinstance(statement, Constant):
            return statement.json
        return await fetch_text(statement.sql, statement.params(binding))


def _planned(request: Request) -> WritePlan | None:
    mutation_type = request.schema.mutation_type
    if request.operation.operation is not OperationType.MUTATION or mutation_type is None:
        return None
    roots = root_selections(request, mutation_type)
    if len(roots) != 1 or roots[0].name not in WRITES:
        return None
    selection = roots[0]
    if selection.uses_fragment_variables or any(d.defer_usage for d in selection.details):
        return None
    write = WRITES[selection.name]
    root = RootPlan(selection, Root(_payload_sql(write)))
    return WritePlan(write, root, _payload_from_row(write, selection))
