"""What a request brings to the logic: who acts, when, from where, and the policy it acts
under. Built once per request by the faces; resolvers read the time from it, never a clock."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ...setting_types import PasswordHashing
from ...settings import Settings
from .actor import ANONYMOUS, Actor


@dataclass(frozen=True, slots=True)
class Policy:
    """The settings the logic needs, read once from the server's Settings."""

    secret_key: str
    webhook_allowed_hosts: tuple[str, ...]
    token_lifetime: timedelta
    login_failures_per_address: int
    login_failures_per_address_ceiling: int
    login_failures_per_client: int
    login_failure_window: timedelta
    account_requests_per_client: int
    account_emails_per_address: int
    account_window: timedelta
    password_reset_link_lifetime: timedelta
    invitation_link_lifetime: timedelta
    password_hashing: PasswordHashing

    @classmethod
    def from_settings(cls, settings: Settings) -> "Policy":
        return cls(
            secret_key=settings.secret_key,
            webhook_allowed_hosts=tuple(settings.webhook_allowed_hosts),
            token_lifetime=timedelta(days=settings.token_lifetime_days),
            login_failures_per_address=settings.login_failures_per_address,
            login_failures_per_address_ceiling=settings.login_failures_per_address_ceiling,
            login_failures_per_client=settings.login_failures_per_client,
            login_failure_window=timedelta(minutes=settings.login_failure_window_minutes),
            account_requests_per_client=settings.account_requests_per_client,
            account_emails_per_address=settings.account_emails_per_address,
            account_window=timedelta(minutes=settings.account_window_minutes),
            password_reset_link_lifetime=timedelta(minutes=settings.password_reset_link_minutes),
            invitation_link_lifetime=timedelta(days=settings.invitation_link_days),
            password_hashing=settings.password_hashing,
        )


@dataclass(frozen=True, slots=True)
class Scope:
    actor: Actor
    now: datetime
    """The clock, read once when the request arrived."""
    policy: Policy
    client_of: Callable[[], str] = lambda: "unknown"
    """The client's address, which limits count by; worked out only when a limit asks."""

    @property
    def client(self) -> str:
        return self.client_of()

    def acting_as(self, actor: Actor) -> "Scope":
        return Scope(actor, self.now, self.policy, self.client_of)

    def at(self, now: datetime) -> "Scope":
        """The same actor at a later moment, for a connection that outlives its request."""
        return Scope(self.actor, now, self.policy, self.client_of)

    @classmethod
    def anonymous(cls, now: datetime, policy: Policy) -> "Scope":
        return cls(ANONYMOUS, now, policy)
