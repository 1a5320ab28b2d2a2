"""Narrowed API tokens: read-only, or limited to some of their user's companies. A token never
does more than its user: its companies must be ones the user is a member of when it is made,
and the rules still ask for the membership when it is used (a limit only takes memberships
away). A narrowed token makes tokens no wider than itself."""

from dataclasses import dataclass

from ...models import ApiToken, Company, Membership, User
from ..audit.record import Change, changed
from ..core.actor import Actor
from ..core.errors import ErrorCode
from ..core.ids import is_row_id
from ..core.scope import Scope
from ..core.validation import Collector
from ..core.visibility import visible_companies

MAX_COMPANIES = 100


@dataclass(frozen=True, slots=True)
class Narrowing:
    read_only: bool = False
    company_ids: list[int] | None = None


UNRESTRICTED = Narrowing()


def actor_of(token: ApiToken) -> Actor:
    """The actor a usable token names, with its narrowing."""
    companies = None if token.company_ids is None else frozenset(token.company_ids)
    return Actor(token.user, token.id, token.read_only, companies)


def narrowing_changes(narrowing: Narrowing) -> list[Change]:
    """What the audit log records of a new token's narrowing (nothing when unrestricted)."""
    changes = [changed("read_only", None, True)] if narrowing.read_only else []
    if narrowing.company_ids is not None:
        listed = ", ".join(str(number) for number in narrowing.company_ids)
        changes.append(changed("company_ids", None, listed))
    return changes


async def narrowing_of(
    actor: Actor, user: User, read_only: bool, company_ids: list[int] | None, check: Collector
) -> Narrowing:
    """The new token's narrowing, at least as narrow as the token making it; a company the
    user is not a member of (or the making token may not reach) is a field error."""
    read_only = read_only or actor.read_only
    if company_ids is None:
        limit = None if actor.companies is None else sorted(actor.companies)
        return Narrowing(read_only, limit)
    wanted = sorted(set(company_ids))
    if len(wanted) > MAX_COMPANIES:
        message = f"A token may be limited to at most {MAX_COMPANIES} companies."
        check.add("company_ids", message, ErrorCode.OUT_OF_RANGE)
        return UNRESTRICTED
    if not await _all_reachable(actor, user, wanted):
        message = "The selected company ids must be companies you are a member of."
        check.add("company_ids", message, ErrorCode.UNKNOWN)
    return Narrowing(read_only, wanted)


async def token_companies(scope: Scope, company_ids: list[int]) -> list[Company]:
    """A token's companies that the viewer may see, oldest first."""
    return await visible_companies(scope.actor).filter(id__in=company_ids).order_by("id")


async def _all_reachable(actor: Actor, user: User, wanted: list[int]) -> bool:
    if not all(is_row_id(number) for number in wanted):
        return False
    if actor.companies is not None and not actor.companies.issuperset(wanted):
        return False
    mine = await Membership.filter(user_id=user.id, company_id__in=wanted).count()
    return mine == len(wanted)
