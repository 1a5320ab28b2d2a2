"""The process's live subscriptions, in groups: subscribers of the same document, variables and
target share one group, and each change is answered once for a group (one statement for all
its viewers where the answer is the same for all, else one a viewer), its text sent to every
subscriber that hears of it. Changes come from the feed in commit order, each once; a token
revoked or expired since ends its subscribers' connections (4403) at the next change they
would hear of."""

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime

from graphql.execution.values import VariableValues

from ... import metrics
from ...models import LiveChange
from ...resolvers.accounts.tokens import unusable_tokens
from ...resolvers.core.actor import Actor
from ...resolvers.core.scope import Scope
from ...resolvers.live import follow
from ...resolvers.live.feed import LiveFeed
from ...sqljson.statements import fetch_row
from ..compiled.statements import NotCompiled, Statement
from ..pipeline.checks import Checked
from .fallback import Fallback
from .plans import LiveBinding, LivePlan, LivePlans, Target
from .sinks import Sink

log = logging.getLogger("issuetracker.live")
REVOKED = 4403


@dataclass(eq=False, slots=True)
class Subscriber:
    sink: Sink
    number: str
    """The client's id of the subscription, as JSON text."""
    scope: Scope
    group: "Group"
    after_event: int = 0
    """Events up to this one were sent by the catch-up."""
    pending: list[tuple[int | None, str]] | None = None
    """What came while the catch-up was sent, held until it is done."""

    @property
    def viewer(self) -> int | None:
        return self.scope.actor.user_id

    @property
    def token(self) -> int | None:
        return self.scope.actor.token_id


@dataclass(eq=False)
class Group:
    key: Hashable
    plan: LivePlan
    target: Target
    variables: VariableValues
    given: dict[str, object]
    """The variables as the first subscriber sent them (all the group's are the same)."""
    companies: list[int] | None = None
    read_only: bool = False
    by_viewer: dict[int | None, list[Subscriber]] = field(default_factory=lambda: defaultdict(list))
    statements: dict[Hashable, Statement | None] = field(default_factory=dict)
    compiled: bool = True

    def subscribers(self) -> list[Subscriber]:
        return [subscriber for listed in self.by_viewer.values() for subscriber in listed]

    def binding(self, change: LiveChange, viewers: list[int | None]) -> LiveBinding:
        binding = self.plan.binding(self.variables, None)
        binding.companies = self.companies
        binding.read_only = self.read_only
        row_id = change.event_id if self.plan.follows_events else change.issue_id
        binding.row_id = int(row_id or 0)
        binding.kind = json.dumps(change.kind.name) if change.kind else "null"
        binding.wanted = self.target.wanted
        binding.viewer_ids = [viewer for viewer in viewers if viewer is not None]
        return binding

    def kept(self, shape: Hashable, build: Callable[[], Statement | None]) -> Statement | None:
        """The group's statement of this shape, built the first time."""
        if shape not in self.statements:
            self.statements[shape] = build()
        return self.statements[shape]


class LiveHub:
    def __init__(
        self,
        feed: LiveFeed,
        plans: LivePlans,
        fallback: Fallback,
        clock: Callable[[], datetime],
    ) -> None:
        self.feed = feed
        self.plans = plans
        self.fallback = fallback
        self.clock = clock
        self.groups: dict[Hashable, Group] = {}
        self.by_issue: dict[int, set[Group]] = defaultdict(set)
        self.everywhere: set[Group] = set()
        self.count = 0
        self._starting: dict[Hashable, asyncio.Future[None]] = {}
        feed.attach(self._heard)

    async def subscribe(
        self, checked: Checked, scope: Scope, sink: Sink, number: str
    ) -> Subscriber:
        """Starts a subscription: what it follows is checked (a DomainError, NOT_FOUND, when
        hidden or missing), then it hears every change committed from now on, after the events
        a reconnecting client missed."""
        plan = self.plans.get(checked)
        target = plan.target(checked.coerced)
        await self._started(plan, target, scope)
        await self.feed.catch_up()
        group = self._group(plan, checked, target, scope.actor)
        subscriber = Subscriber(sink, json.dumps(number), scope, group, pending=[])
        group.by_viewer[subscriber.viewer].append(subscriber)
        self.count += 1
        metrics.LIVE_SUBSCRIPTIONS.inc()
        try:
            if target.after_event_id is not None:
                await self._catch_up(subscriber, target)
        finally:
            held, subscriber.pending = subscriber.pending or [], None
            for event_id, text in held:
                if event_id is None or event_id > subscriber.after_event:
                    await sink.next(subscriber.number, text)
        return subscriber

    async def _started(self, plan: LivePlan, target: Target, scope: Scope) -> None:
        """The start's check, shared by the same reader's subscriptions starting together (a
        thousand anonymous readers of one issue make one check, not a thousand)."""
        actor = scope.actor
        key = (
            plan.follows_events,
            target.key,
            target.after_event_id,
            actor.user_id,
            actor.token_id,
        )
        check = self._starting.get(key)
        if check is None:
            check = asyncio.ensure_future(_start(plan, target, scope))
            self._starting[key] = check
            check.add_done_callback(lambda _: self._starting.pop(key, None))
        await asyncio.shield(check)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        group = subscriber.group
        listed = group.by_viewer.get(subscriber.viewer)
        if listed is None or subscriber not in listed:
            return
        listed.remove(subscriber)
        if not listed:
            del group.by_viewer[subscriber.viewer]
        self.count -= 1
        metrics.LIVE_SUBSCRIPTIONS.dec()
        if not group.by_viewer:
            del self.groups[group.key]
            self.everywhere.discard(group)
            if group.target.issue_id is not None:
                self.by_issue[group.target.issue_id].discard(group)
                if not self.by_issue[group.target.issue_id]:
                    del self.by_issue[group.target.issue_id]

    def _group(self, plan: LivePlan, checked: Checked, target: Target, actor: Actor) -> Group:
        """Narrowed tokens' subscriptions group apart (by limit, and read-only or not)."""
        variables = json.dumps(checked.variables, sort_keys=True, default=str)
        limit = None if actor.companies is None else sorted(actor.companies)
        narrowing = (None if limit is None else tuple(limit), actor.read_only)
        key = (id(plan), target.key, variables, narrowing)
        group = self.groups.get(key)
        if group is None:
            given = checked.variables
            group = Group(key, plan, target, checked.coerced, given, limit, actor.read_only)
            self.groups[key] = group
            if target.issue_id is not None:
                self.by_issue[target.issue_id].add(group)
            else:
                self.everywhere.add(group)
        return group

    async def _catch_up(self, subscriber: Subscriber, target: Target) -> None:
        assert target.issue_id is not None
        assert target.after_event_id is not None
        for event_id in await follow.events_after(target.issue_id, target.after_event_id):
            change = LiveChange(issue_id=target.issue_id, event_id=event_id)
            answers = await self._answers(subscriber.group, change, [subscriber.viewer])
            text = answers.get(subscriber.viewer)
            if text is not None:
                await subscriber.sink.next(subscriber.number, text)
            subscriber.after_event = event_id

    async def _heard(self, changes: list[LiveChange]) -> None:
        for change in changes:
            groups = list(self.everywhere)
            if change.event_id is not None:
                groups += self.by_issue.get(change.issue_id, ())
            if not groups:
                continue
            try:
                await self._drop_revoked(groups)
                for group in groups:
                    if group.by_viewer:
                        await self._deliver(group, change)
            except Exception:  # a change the database could not answer: the next may be
                log.warning("a live change could not be sent", exc_info=True)

    async def _drop_revoked(self, groups: list[Group]) -> None:
        """One statement for the tokens of everyone the change may reach."""
        tokens = {s.token for g in groups for s in g.subscribers() if s.token is not None}
        gone = await unusable_tokens(tokens, self.clock()) if tokens else set()
        for group in groups:
            for subscriber in group.subscribers():
                if subscriber.token in gone:
                    subscriber.sink.close(REVOKED, "The token was revoked or has expired.")
                    self.unsubscribe(subscriber)

    async def _deliver(self, group: Group, change: LiveChange) -> None:
        answers = await self._answers(group, change, list(group.by_viewer))
        for viewer, text in answers.items():
            for subscriber in list(group.by_viewer.get(viewer, ())):
                if subscriber.pending is not None:
                    subscriber.pending.append((change.event_id, text))
                else:
                    await subscriber.sink.next(subscriber.number, text)

    async def _answers(
        self, group: Group, change: LiveChange, viewers: list[int | None]
    ) -> dict[int | None, str]:
        """Each of these viewers' result text, for those who hear of the change."""
        binding = group.binding(change, viewers)
        if group.compiled:
            try:
                together = group.kept("together", lambda: group.plan.together(binding))
                if together is not None:
                    row = await fetch_row(together.sql, together.params(binding))
                    return _shared(row, viewers)
                return await self._each(group, binding, viewers)
            except NotCompiled:
                group.compiled = False
        heard = group.kept("heard", lambda: group.plan.heard(binding))
        assert heard is not None
        hearing = _shared(await fetch_row(heard.sql, heard.params(binding)), viewers)
        executed = self.fallback.answer
        return {
            viewer: await executed(group.plan, group.given, change, group.by_viewer[viewer][0])
            for viewer in hearing
        }

    async def _each(
        self, group: Group, binding: LiveBinding, viewers: list[int | None]
    ) -> dict[int | None, str]:
        """One statement a viewer, for results that depend on who reads them."""
        answers = {}
        for viewer in viewers:
            binding.viewer_id = viewer
            shape = ("viewer", viewer is not None)
            statement = group.kept(shape, lambda: group.plan.for_viewer(binding))
            assert statement is not None
            row = await fetch_row(statement.sql, statement.params(binding))
            if row is not None and row[0] is not None:
                answers[viewer] = str(row[0])
        return answers


async def _start(plan: LivePlan, target: Target, scope: Scope) -> None:
    if plan.follows_events:
        assert target.issue_id is not None
        await follow.start_issue_events(scope, target.issue_id, target.after_event_id)
    else:
        await follow.start_issue_changes(scope, target.wanted)


def _shared(row: tuple[object, ...] | None, viewers: list[int | None]) -> dict[int | None, str]:
    """(result, heard by anonymous readers, the signed-in viewers who hear) -> each viewer's
    result: what anonymous readers hear, everyone hears."""
    if row is None or row[0] is None:
        return {}
    text, public, listed = str(row[0]), bool(row[1]), row[2]
    if public:
        return dict.fromkeys(viewers, text)
    hearing = {int(number) for number in str(listed or "").split(",") if number}
    return {viewer: text for viewer in viewers if viewer in hearing}
