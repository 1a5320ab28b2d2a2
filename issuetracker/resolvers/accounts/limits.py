"""The limits on account requests, from the policy: failed sign-ins per address and client, per
address and per client, account requests per client, and account e-mails per address."""

from ..core.scope import Scope
from .ratelimits import Limit


def login_limits(scope: Scope, address: str) -> list[Limit]:
    """Failed sign-ins are counted three ways, as OWASP recommends: by this client on this
    address (the small limit, which stops one guesser), by the address from every client (a
    larger ceiling, which stops guessing spread over many clients) and by the client whatever
    the address. So a guesser cannot lock the owner out: their right password, from a client
    that has not been failing, gets through until the ceiling is reached. The first limit is
    the one a success clears."""
    policy = scope.policy
    window = policy.login_failure_window
    # The client comes first: it never holds "|", so the key reads one way only.
    pair = f"login:client-address:{scope.client}|{address}"
    return [
        Limit(pair, policy.login_failures_per_address, window),
        Limit(f"login:address:{address}", policy.login_failures_per_address_ceiling, window),
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
