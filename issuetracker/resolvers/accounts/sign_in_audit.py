"""What signing in leaves in the user's own audit log: a success from a client address not
seen for them before, and the lock that refuses their address after too many failures (once a
lock, not once a refused attempt)."""

from ...models import AuditAction, AuditEntry, User
from ..audit.record import ADDRESS_LENGTH, changed, record
from ..core.actor import Actor
from ..core.scope import Scope


async def record_sign_in(scope: Scope, user: User) -> None:
    """The entries of earlier sign-ins are the addresses seen (as long as they are kept)."""
    address = scope.client[:ADDRESS_LENGTH]
    seen = await AuditEntry.exists(
        user_id=user.id, action=AuditAction.SIGN_IN_FROM_NEW_ADDRESS, client_address=address
    )
    if not seen:
        await record(
            scope.acting_as(Actor(user=user)),
            AuditAction.SIGN_IN_FROM_NEW_ADDRESS,
            user,
            user_id=user.id,
            changes=[changed("clientAddress", None, address)],
        )


async def record_lock(scope: Scope, address: str) -> None:
    """For an address with an account; the system locks, so there is no actor. An unknown
    address is looked up alike, so a refusal takes the same work whoever the address is (but
    for the one entry a lock writes)."""
    user = await User.get_or_none(email=address) if address else None
    since = scope.now - scope.policy.login_failure_window
    locked = await AuditEntry.exists(
        user_id=user.id if user else 0, action=AuditAction.SIGN_IN_LOCKED, created_at__gt=since
    )
    if user is not None and not locked:
        await record(scope.acting_as(Actor()), AuditAction.SIGN_IN_LOCKED, user, user_id=user.id)
