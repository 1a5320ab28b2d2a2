"""What a subscription document asks, once per document: its one root field, what it follows
(an issue's events, or changes to issues under a filter), and the statements that answer a
change for a group of its subscribers.

A change is answered by one statement: the result's JSON, whether anonymous readers hear it,
and which of the group's signed-in viewers do. When the result itself depends on who reads it
(an e-mail address, a viewer's role), one statement a viewer answers instead."""

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues

from ...resolvers.core.errors import DomainError, ValidationFailed
from ...resolvers.live import follow
from ...sqljson.dialects import json_key, json_object, literal
from ...sqljson.statements import current_dialect, used_parameters
from ..compiled.fields import object_json
from ..compiled.selections import TYPENAME, Request, Selection, root_selections
from ..compiled.statements import (
    ArgumentConverter,
    Binding,
    BindingValues,
    Builder,
    NotCompiled,
    Statement,
)
from ..documents import Document
from ..errors import camel_case
from ..pipeline.checks import Checked
from ..relay import database_id

EVENTS, CHANGES = "issueEvents", "issueChanges"


@dataclass
class LiveBinding(Binding):
    """One change, for a group of subscribers."""

    row_id: int = 0
    """The event's id (issueEvents), or the issue's (issueChanges)."""
    kind: str = "null"
    """The change's kind, as JSON text."""
    viewer_ids: list[int] = field(default_factory=list)
    wanted: follow.ChangeFilter = field(default_factory=follow.ChangeFilter)


@dataclass(frozen=True)
class Target:
    """What a subscription follows, decoded from its arguments."""

    issue_id: int | None = None
    after_event_id: int | None = None
    wanted: follow.ChangeFilter = field(default_factory=follow.ChangeFilter)

    @property
    def key(self) -> Hashable:
        """What of it its group shares (not where a reconnecting client caught up from)."""
        wanted = self.wanted
        lists = (tuple(wanted.company_ids or ()), tuple(wanted.category_ids or ()))
        return (
            self.issue_id,
            wanted.company_ids is None,
            wanted.category_ids is None,
            lists,
            wanted.involving_me,
        )


@dataclass(eq=False)
class LivePlan:
    document: Document
    operation: OperationDefinitionNode
    root: Selection
    convert: ArgumentConverter
    public_url: str

    @property
    def follows_events(self) -> bool:
        return self.root.name == EVENTS

    @property
    def table(self) -> str:
        return "issue_events" if self.follows_events else "issues"

    def target(self, variables: VariableValues) -> Target:
        """The root field's arguments, decoded; a DomainError when an id is malformed."""
        arguments = self.binding(variables, None).arguments_of(self.root)
        if self.follows_events:
            issue_id = database_id(arguments["issue_id"], "Issue", field="issueId")
            after = arguments.get("after_event_id")
            after_id = (
                None if after is None else database_id(after, "IssueEvent", field="afterEventId")
            )
            return Target(issue_id=issue_id, after_event_id=after_id)
        given = arguments.get("filter")
        return Target(wanted=given.to_filter() if given is not None else follow.ChangeFilter())

    def binding(self, variables: VariableValues, viewer_id: int | None) -> LiveBinding:
        return LiveBinding(viewer_id, variables, self.public_url, self.convert)

    def together(self, binding: LiveBinding) -> Statement | None:
        """The statement answering every viewer at once; None when the result depends on the
        viewer. Raises NotCompiled when the compiled path does not cover the selection."""
        dialect = current_dialect()
        builder = Builder(
            dialect,
            signed_in=True,
            limited=binding.companies is not None,
            read_only=binding.read_only,
        )
        row = builder.alias("l")
        result = self._result(builder, row, binding)
        if builder.uses_viewer:
            return None
        viewers = builder.param(lambda bound: dialect.int_list(_live(bound).viewer_ids))
        rows, viewer = dialect.int_list_ids(viewers, "h_v")
        viewer = builder.limit(viewer)
        heard_by = (
            f"(SELECT {dialect.concat(dialect.integer(viewer), viewer)} FROM {rows}"
            f" WHERE {self._heard(builder, row, viewer, binding)})"
        )
        public = self._heard(builder, row, None, binding)
        sql = (
            f"SELECT {result}, CASE WHEN {public} THEN 1 ELSE 0 END, {heard_by}"
            f" FROM {self.table} AS {row} WHERE {row}.id = {_row_id(builder)}"
        )
        return _statement(sql, builder)

    def for_viewer(self, binding: LiveBinding) -> Statement:
        """The statement answering one viewer (`binding.viewer_id`): NULL when they do not
        hear of the change."""
        builder = Builder(
            current_dialect(),
            signed_in=binding.viewer_id is not None,
            limited=binding.companies is not None,
            read_only=binding.read_only,
        )
        row = builder.alias("l")
        result = self._result(builder, row, binding)
        heard = self._heard(builder, row, builder.viewer(), binding)
        sql = (
            f"SELECT {result} FROM {self.table} AS {row}"
            f" WHERE {row}.id = {_row_id(builder)} AND {heard}"
        )
        return _statement(sql, builder)

    def heard(self, binding: LiveBinding) -> Statement:
        """Who hears of a change, without the result: for the executor's answers."""
        dialect = current_dialect()
        builder = Builder(
            dialect,
            signed_in=True,
            limited=binding.companies is not None,
            read_only=binding.read_only,
        )
        row = builder.alias("l")
        viewers = builder.param(lambda bound: dialect.int_list(_live(bound).viewer_ids))
        rows, viewer = dialect.int_list_ids(viewers, "h_v")
        viewer = builder.limit(viewer)
        heard_by = (
            f"(SELECT {dialect.concat(dialect.integer(viewer), viewer)} FROM {rows}"
            f" WHERE {self._heard(builder, row, viewer, binding)})"
        )
        public = self._heard(builder, row, None, binding)
        sql = (
            f"SELECT 'null', CASE WHEN {public} THEN 1 ELSE 0 END, {heard_by}"
            f" FROM {self.table} AS {row} WHERE {row}.id = {_row_id(builder)}"
        )
        return _statement(sql, builder)

    def _result(self, builder: Builder, row: str, binding: Binding) -> str:
        """`{"data": {key: ...}}` for the change on `row`."""
        if self.follows_events:
            value = object_json(builder, "IssueEvent", self.root.children(), row, binding)
        else:
            value = json_object(
                [
                    (child.key, _change_field(builder, child, row, binding))
                    for child in self.root.children()
                ]
            )
        return json_object([("data", json_object([(self.root.key, value)]))])

    def _heard(self, builder: Builder, row: str, viewer: str | None, binding: LiveBinding) -> str:
        """The rule, for the group's filter (its statements are the group's own)."""
        if self.follows_events:
            return follow.event_heard(row, viewer)
        values = BindingValues(builder, lambda bound: _live(bound).wanted)
        return follow.change_heard(row, viewer, binding.wanted, values)


def _change_field(builder: Builder, child: Selection, row: str, binding: Binding) -> str:
    if child.name == TYPENAME:
        return literal(json_key("IssueChange"))
    if child.name == "kind":
        return builder.param(lambda bound: _live(bound).kind)
    if child.name == "issue":
        return object_json(builder, "Issue", child.children(), row, binding)
    raise NotCompiled(f"IssueChange.{child.name}")


def _live(binding: Binding) -> LiveBinding:
    assert isinstance(binding, LiveBinding)
    return binding


def _row_id(builder: Builder) -> str:
    return builder.int_param(lambda bound: _live(bound).row_id)


def _statement(sql: str, builder: Builder) -> Statement:
    compact, sources = used_parameters(sql, builder.sources)
    return Statement(compact, sources, builder.checks)


class LivePlans:
    """One plan per subscription document and operation."""

    def __init__(self, schema: GraphQLSchema, convert: ArgumentConverter, public_url: str):
        self.schema = schema
        self.convert = convert
        self.public_url = public_url
        self._kept: dict[Hashable, LivePlan] = {}

    def get(self, checked: Checked) -> LivePlan:
        key = (checked.document.source, checked.name, _directive_shape(checked))
        plan = self._kept.get(key)
        if plan is None:
            subscription = self.schema.subscription_type
            assert isinstance(subscription, GraphQLObjectType)
            request = Request(
                self.schema, checked.operation, checked.document.fragments, checked.coerced
            )
            [root] = root_selections(request, subscription)  # validated: one root field
            plan = LivePlan(
                checked.document, checked.operation, root, self.convert, self.public_url
            )
            if len(self._kept) > 512:
                self._kept.clear()
            self._kept[key] = plan
        return plan


def _directive_shape(checked: Checked) -> tuple[Any, ...]:
    coerced = checked.coerced.coerced
    return tuple(repr(coerced.get(name)) for name in checked.document.directive_variables)


def start_error(error: DomainError) -> dict[str, Any]:
    """A refusal when a subscription starts, as the `error` message's payload entry."""
    extensions: dict[str, Any] = {"code": str(error.code)}
    if isinstance(error, ValidationFailed):
        extensions["errors"] = [
            {"field": camel_case(e.field), "message": e.message} for e in error.errors
        ]
    return {"message": error.message, "extensions": extensions}
