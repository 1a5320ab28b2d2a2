"""Fuzzing a face against its OpenAPI document with schemathesis: requests made from the
document (valid ones, and ones it forbids), sent over real HTTP to the test's server, and each
response checked: no 5xx, a documented status and content type, a body that fits its schema.

The run is bounded and repeatable: a fixed seed, a fixed number of examples a mode and an
operation, and a time budget shared out among the operations, smaller outside CI (see
`fuzzing_budget.py`). It runs in a thread of its own, with `requests`, while the test's event
loop serves it."""

import asyncio
import contextlib
import ipaddress
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import pytest
import requests
import schemathesis
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from issuetracker.notifications import webhook_targets

from .fuzzing_budget import budget

SEED = 20_13
"""Issue 13's fuzzing, the same requests every run."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
BUDGET_SECONDS = budget(55, 10)
"""A document's whole run; each operation gets its share (and what earlier ones left)."""
EXAMPLES = budget(40, 4)


PathParameters = Callable[[str, str], Mapping[str, Any] | None]
"""Known path parameters for an operation (method, path), so that existing objects are reached
as well as made-up ones; None when there are none."""


@dataclass
class FuzzReport:
    document: str
    runs: int = 0
    """Operation and mode pairs tried: each sends its first example whatever the time, so
    every run sends at least this many requests, on a quiet machine or a busy one."""
    requests: int = 0
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    by_status: dict[int, int] = field(default_factory=dict)

    def summary(self) -> str:
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(self.by_status.items()))
        return (
            f"{self.document}: {self.requests} requests in {self.seconds:.1f} s, "
            f"{self.server_errors} answered 5xx, {len(self.failures)} failed checks ({statuses})"
        )


Report = TypeVar("Report")
_stopping = threading.Event()
"""Set when a run's test is interrupted (Ctrl-C): the run ends at its next example."""


async def in_its_own_thread(run: Callable[[], Report]) -> Report:
    """`run()` in a daemon thread: an interrupted suite exits at once rather than waiting for
    the rest of a minute's fuzzing, as it would for a thread of asyncio's own pool."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[Report] = loop.create_future()

    def settle(failure: BaseException | None, result: Report | None) -> None:
        if done.done():
            return
        if failure is not None:
            done.set_exception(failure)
        else:
            done.set_result(cast(Report, result))

    def work() -> None:
        try:
            result = run()
        except BaseException as failure:  # handed to the awaiting test, whatever it is
            loop.call_soon_threadsafe(settle, failure, None)
        else:
            loop.call_soon_threadsafe(settle, None, result)

    threading.Thread(target=work, name="fuzzing", daemon=True).start()
    try:
        return await done
    except asyncio.CancelledError:
        _stopping.set()
        raise


def base_url(client: TestClient) -> str:
    return str(client.make_url("")).rstrip("/")


def no_name_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Webhook URLs are checked without looking their names up (as names that do not resolve):
    nothing the fuzzer makes up leaves the machine, not even a DNS query."""

    async def unresolved(host: str, port: int) -> list[ipaddress.IPv4Address]:
        return []

    monkeypatch.setattr(webhook_targets, "_resolve", unresolved)


def fuzz(
    label: str,
    document: dict[str, Any],
    base_url: str,
    headers: Mapping[str, str],
    *,
    known: PathParameters,
    budget_seconds: float = BUDGET_SECONDS,
    examples: int = EXAMPLES,
) -> FuzzReport:
    """Sends up to `examples` requests of each mode to each operation of `document` (fewer
    once the budget is spent) and reports what the checks found."""
    schema = schemathesis.openapi.from_dict(document)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), (
            f"the document has an operation schemathesis cannot read: {result}"
        )
        operations.append(result.ok())
    report = FuzzReport(label)
    started = time.monotonic()
    with requests.Session() as session:
        for number, operation in enumerate(operations, start=1):
            # Each operation may use its share of the budget, and what earlier ones left.
            deadline = started + budget_seconds * number / len(operations)
            fixed = known(operation.method.upper(), operation.path)
            for mode in MODES:
                strategies = [operation.as_strategy(generation_mode=mode)]
                if fixed is not None and mode is GenerationMode.POSITIVE:
                    strategies.append(
                        operation.as_strategy(generation_mode=mode, path_parameters=dict(fixed))
                    )
                report.runs += 1
                run_examples(
                    st.one_of(strategies),
                    lambda case: _send(case, session, base_url, headers, report),
                    examples,
                    deadline,
                )
    report.seconds = time.monotonic() - started
    return report


class _OutOfTime(Exception):
    """Ends an operation's examples once its share of the budget is spent (making examples
    costs as much as sending them)."""


def run_examples(
    strategy: st.SearchStrategy[Case], send: Callable[[Case], None], examples: int, deadline: float
) -> None:
    sent = 0

    @seed(SEED)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],  # every failure is recorded, not shrunk
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Case) -> None:
        # The first example always goes, so what is tried does not depend on the machine's speed.
        nonlocal sent
        if (sent and time.monotonic() > deadline) or _stopping.is_set():
            raise _OutOfTime()
        sent += 1
        send(case)

    if _stopping.is_set():
        return
    with contextlib.suppress(_OutOfTime):
        run()


def _send(
    case: Case,
    session: requests.Session,
    base_url: str,
    headers: Mapping[str, str],
    report: FuzzReport,
) -> None:
    response = case.call(base_url=base_url, session=session, headers=dict(headers), timeout=30)
    report.requests += 1
    report.by_status[response.status_code] = report.by_status.get(response.status_code, 0) + 1
    if response.status_code >= 500:
        report.server_errors += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=dict(headers))
    except FailureGroup as failed:
        report.failures.append(f"{case.method} {case.formatted_path}: {failed}")
