"""The limits on account requests, from the policy: failed sign-ins per address and per client,
account requests per client, and account e-mails per address."""

from ..core.scope import Scope
from .ratelimits import Limit


def login_limits(scope: Scope, address: str) -> list[Limit]:
    policy = scope.policy
    window = policy.login_failure_window
    return [
        Limit(f"login:address:{address}", policy.login_failures_per_address, window),
        Limit(f"login:client:{scope.client}", policy.login_failures_per_client, window),
    ]


def request_limit(scope: Scope) -> Limit:
    """Registrations, reset requests and new verification e-mails from one client."""
    policy = scope.policy
    key = f"account:client:{scope.client}"
    return Limit(key, policy.account_requests_per_client, policy.account_window)


def mail_limit(scope: Scope, address: str) -> Limit:
    """Account e-mails to one address, so nobody can flood a mailbox through us."""
    policy = scope.policy
    key = f"account-mail:address:{address}"
    return Limit(key, policy.account_emails_per_address, policy.account_window)
