"""Answering a GraphQL request on the compiled path, with the executor for what it leaves."""

import json
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import web
from graphql import GraphQLError, OperationType

from ... import metrics
from ...db import database_unreachable
from ...resolvers.core.scope import Scope
from ...sqljson.dialects import Dialect, json_key
from ...sqljson.statements import current_dialect, fetch_text
from ...sqljson.text import as_ascii_json, dumps
from ..documents import Documents
from ..pipeline.checks import Checked
from .executed import Executor, execute_left, in_order
from .missing import Place, not_found
from .plans import Plans, RootPlan
from .roots import Constant
from .selections import Request, Selection
from .statements import ArgumentConverter, Binding, Fallback
from .writes import CompiledWrites

log = logging.getLogger("issuetracker.graphql.compiled")


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
        """Root fields answered compiled (`compiled`; `not found` of them lookups that found
        nothing), left to the executor (`executed`), whose statement `failed`; and the
        executor's runs on what was left (`executor`): for tests and metrics."""
        self._dialect: Dialect | None = None

    async def answer(
        self,
        request: web.Request,
        response: web.Response,
        checked: Checked,
        scope: Scope,
        extensions: Callable[[dict[str, Any] | None], dict[str, Any]],
    ) -> str | None:
        """The response's text, or None when the whole request is the executor's. The
        executor's errors may set `response`'s status (503 while the database is away)."""
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
        missing: list[GraphQLError] = []
        answers = {
            root.selection.key: await self._answer(root, binding, missing) for root in plan.roots
        }
        left = [root.selection for root in plan.roots if answers[root.selection.key] is None]
        if len(left) == len(answers):
            return None
        executed = None
        if left:
            self.counts["executor"] += 1
            executed = await execute_left(self.executor, request, response, checked, left)
        if missing:
            metrics.count_graphql_errors(missing)  # as the executor counts its own
        errors = in_order([dict(error.formatted) for error in missing], executed, list(answers))
        data = _data(answers, executed)
        return _body(answers, executed, errors, extensions(data))

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
        return _body(answers, None, [], extensions(_data(answers, None)))

    async def _answer(
        self, root: RootPlan, binding: Binding, missing: list[GraphQLError]
    ) -> str | None:
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
                if root.root.missing is not None:
                    lacking = root.root.missing(binding, root.selection, text)
                    text = self._found(root.selection, lacking, text, missing)
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

    def _found(
        self,
        selection: Selection,
        lacking: list[Place],
        text: str | None,
        missing: list[GraphQLError],
    ) -> str:
        """A lookup's answer: what it did not find is null, with the executor's error."""
        if lacking:
            self.counts["not found"] += 1
            missing.extend(not_found(selection, place) for place in lacking)
        return "null" if text is None else text


def _data(answers: dict[str, str | None], executed: dict[str, Any] | None) -> dict[str, Any] | None:
    """The answer's data, read back from the database's text for what its cost counts; None
    when an error in the executor's part nulled it all."""
    if executed is not None and executed.get("data") is None:
        return None
    data = (executed or {}).get("data") or {}
    return {
        key: json.loads(text) if text is not None else data[key] for key, text in answers.items()
    }


def _body(
    answers: dict[str, str | None],
    executed: dict[str, Any] | None,
    errors: list[dict[str, Any]],
    extensions: dict[str, Any],
) -> str:
    """The response, as the executor writes it: compiled answers as the database wrote them,
    executed ones as Strawberry encodes them, in the document's order."""
    if executed is not None and executed.get("data") is None:
        shown = "null"
    else:
        data = (executed or {}).get("data") or {}
        fields = ",".join(
            f"{json_key(key)}:{text if text is not None else dumps(data[key])}"
            for key, text in answers.items()
        )
        shown = "{" + fields + "}"
    failed = f',"errors":{dumps(errors)}' if errors else ""
    extensions = {**((executed or {}).get("extensions") or {}), **extensions}
    tail = f',"extensions":{dumps(extensions)}' if extensions else ""
    return as_ascii_json('{"data":' + shown + failed + tail + "}")
