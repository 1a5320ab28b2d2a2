"""The GraphQL schema: the domains' queries and mutations combined, with the safety limits on."""

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from ..settings import Settings
from .companies.invitations import CompanyInvitationMutations
from .companies.mutations import CompanyMutations
from .companies.queries import CompanyQueries
from .errors import ErrorPolicy
from .following import FollowingMutations
from .issues.mutations import IssueMutations
from .issues.part_mutations import IssuePartMutations
from .issues.queries import IssueQueries
from .node import NodeQueries
from .rate_limit import RateLimitQueries
from .scalars import SCALAR_OVERRIDES
from .updates import Subscription
from .users.accounts import AccountMutations
from .users.mutations import UserMutations
from .users.queries import UserQueries
from .webhooks.mutations import WebhookMutations
from .webhooks.queries import WebhookQueries


@strawberry.type(
    description="Every read. Lists are connections paged with `first`/`after` or `last`/`before` "
    "(at most 100 a page); a lookup of something the viewer may not see, or that does not "
    "exist, is null with a NOT_FOUND error, and the rest of the answer stands."
)
class Query(
    NodeQueries, UserQueries, CompanyQueries, IssueQueries, WebhookQueries, RateLimitQueries
):
    """The domains' queries, combined."""


@strawberry.type(
    description="Every change. Each takes one `input` and answers a payload whose `errors` "
    "list invalid input; a missing token (UNAUTHENTICATED), a refusal (FORBIDDEN) or an object "
    "the viewer may not see (NOT_FOUND) is a top-level error and the payload is null. A "
    "read-only token runs none: the request answers 403 with one FORBIDDEN error naming the "
    "token's scope. A token limited to companies acts as if its user were a member of those "
    "only (see `ApiToken.companies`)."
)
class Mutation(
    UserMutations,
    AccountMutations,
    CompanyMutations,
    CompanyInvitationMutations,
    IssueMutations,
    IssuePartMutations,
    FollowingMutations,
    WebhookMutations,
):
    """The domains' mutations, combined."""


class Schema(strawberry.Schema):
    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,
    ) -> None:
        """ErrorPolicy already logged what deserves logging; expected errors are not news."""


def limit_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    """The depth and alias limits as validation rules, built once: a rule class made per
    request would miss the validation cache (its key includes the rules) on every request."""
    return [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
    ]


def build_schema(settings: Settings, limits: list[type[ASTValidationRule]]) -> strawberry.Schema:
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            ErrorPolicy,
            lambda: AddValidationRules(limits),
            lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
        ],
    )


def schema_sdl() -> str:
    schema = Schema(
        query=Query, mutation=Mutation, subscription=Subscription, scalar_overrides=SCALAR_OVERRIDES
    )
    return schema.as_str() + "\n"
