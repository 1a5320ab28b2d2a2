"""Answering a GraphQL request on the compiled path, with the executor for what it leaves."""

import json
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import web
from graphql import OperationType, print_ast

from ...db import database_unreachable
from ...resolvers.core.scope import Scope
from ...sqljson.dialects import Dialect, json_key
from ...sqljson.statements import current_dialect, fetch_text
from ...sqljson.text import as_ascii_json, dumps
from ..documents import Documents
from ..pipeline.checks import Checked
from .executed import sub_document
from .plans import OperationPlan, Plans, RootPlan
from .roots import Constant
from .selections import Request
from .statements import ArgumentConverter, Binding, Fallback
from .writes import CompiledWrites

log = logging.getLogger("issuetracker.graphql.compiled")


class Executor:
    """Runs a document through Strawberry, as the view would."""

    async def run(
        self, request: web.Request, query: str, variables: dict[str, Any], name: str | None
    ) -> dict[str, Any]:
        raise NotImplementedError


class CompiledReads:
    def __init__(
        self,
        documents: Documents,
        executor: Executor,
        public_url: str,
        convert: ArgumentConverter,
        count_limit: int,
    ) -> None:
        self.documents = documents
        self.convert = convert
        self.plans = Plans(documents.schema)
        self.executor = executor
        self.public_url = public_url
        self.writes = CompiledWrites()
        self.count_limit = count_limit
        self.counts: Counter[str] = Counter()
        self._dialect: Dialect | None = None
        """Root fields answered compiled, and sent to the executor (for tests and metrics)."""

    async def answer(
        self,
        request: web.Request,
        checked: Checked,
        scope: Scope,
        extensions: Callable[[dict[str, Any] | None], dict[str, Any]],
    ) -> str | None:
        """The response's text, or None when the whole request is the executor's."""
        if checked.operation.operation is OperationType.MUTATION:
            return await self._write(checked, scope, extensions)
        if checked.operation.operation is not OperationType.QUERY:
            return None
        plan = self.plans.get(checked.document, checked.operation, checked.coerced)
        binding = Binding(
            scope.actor.user_id, checked.coerced, self.public_url, self.convert, self.count_limit
        )
        companies = scope.actor.companies
        binding.companies = None if companies is None else sorted(companies)
        binding.read_only = scope.actor.read_only
        answers = {root.selection.key: await self._answer(root, binding) for root in plan.roots}
        left = [key for key, text in answers.items() if text is None]
        if len(left) == len(answers):
            return None
        executed = None
        if left:
            executed = await self._execute(request, checked, plan, left)
            if executed.get("errors"):
                # Errors name places in the document: the executor answers the client's own
                # document, so they name the same places as always.
                return None
        return _body(answers, executed, extensions(_data(answers, executed)))

    async def _write(
        self,
        checked: Checked,
        scope: Scope,
        extensions: Callable[[dict[str, Any] | None], dict[str, Any]],
    ) -> str | None:
        if checked.document.directive_variables:
            return None  # a plan per document: what the payload asks must not vary
        schema, document = self.documents.schema, checked.document
        request = Request(schema, checked.operation, document.fragments, checked.coerced)
        plan = self.writes.plan(request, document.source)
        if plan is None:
            return None
        binding = Binding(scope.actor.user_id, checked.coerced, self.public_url, self.convert)
        text = await self.writes.answer(plan, scope, binding)
        self.counts["written" if text is not None else "executed"] += 1
        if text is None:
            return None
        answers: dict[str, str | None] = {plan.root.selection.key: text}
        return _body(answers, None, extensions(_data(answers, None)))

    async def _answer(self, root: RootPlan, binding: Binding) -> str | None:
        if root.root is None:
            self.counts["executed"] += 1
            return None
        try:
            self._dialect = self._dialect or current_dialect()  # one database a process
            statement = root.prepared(binding, self._dialect)
            if isinstance(statement, Constant):
                text: str | None = statement.json
            else:
                text = await fetch_text(statement.sql, statement.params(binding))
        except Fallback:
            text = None
        except Exception as failure:
            if database_unreachable(failure):
                raise  # answered 503, with one log line an outage, as every face does
            # a statement the database refuses: the executor answers instead
            log.exception("compiled statement failed", extra={"field": root.selection.key})
            self.counts["failed"] += 1
            text = None
        self.counts["compiled" if text is not None else "executed"] += 1
        return text

    async def _execute(
        self, request: web.Request, checked: Checked, plan: OperationPlan, keys: list[str]
    ) -> dict[str, Any]:
        left = [root.selection for root in plan.roots if root.selection.key in keys]
        node, used = sub_document(checked.document, checked.operation, left)
        given = checked.variables
        variables = {name: given[name] for name in used if name in given}
        operation = checked.operation
        name = operation.name.value if operation.name else None
        return await self.executor.run(request, print_ast(node), variables, name)


def _data(answers: dict[str, str | None], executed: dict[str, Any] | None) -> dict[str, Any]:
    """The answer's data, read back from the database's text for what its cost counts."""
    data = (executed or {}).get("data") or {}
    return {
        key: json.loads(text) if text is not None else data[key] for key, text in answers.items()
    }


def _body(
    answers: dict[str, str | None], executed: dict[str, Any] | None, extensions: dict[str, Any]
) -> str:
    """The response: compiled answers as the database wrote them, executed ones (which had no
    errors) as Strawberry encodes them, in the document's order."""
    data = (executed or {}).get("data") or {}
    fields = ",".join(
        f"{json_key(key)}:{text if text is not None else dumps(data[key])}"
        for key, text in answers.items()
    )
    extensions = {**((executed or {}).get("extensions") or {}), **extensions}
    tail = f',"extensions":{dumps(extensions)}' if extensions else ""
    return as_ascii_json("{" + f'"data":{{{fields}}}' + tail + "}")
