"""The e-mails of the account flows, written to the outbox inside the caller's transaction.
Each link is kept as a purpose, a user and a stamp; the dispatcher signs it when it sends."""

from datetime import timedelta

from ...models import Company, CompanyInvitation, User
from ...notifications.link_tokens import Purpose, fingerprint, link_data
from ...notifications.outbox import enqueue_email
from ...notifications.signing import LINK_LIFETIME
from ..core.scope import Scope


def _verify_link(user: User) -> dict[str, object]:
    return link_data(Purpose.VERIFY_EMAIL, user.guid.hex, email_stamp(user), LINK_LIFETIME)


def _password_link(user: User, lifetime: timedelta) -> dict[str, object]:
    return link_data(Purpose.SET_PASSWORD, user.guid.hex, password_stamp(user), lifetime)


def email_stamp(user: User) -> str:
    return fingerprint(user.email)


def password_stamp(user: User) -> str:
    return fingerprint(user.password_hash)


async def verification(scope: Scope, user: User) -> None:
    data = {"name": user.name, "link": _verify_link(user)}
    await enqueue_email(scope.now, user.email, "email_verification", data)


async def account_exists(scope: Scope, user: User) -> None:
    """Someone registered with a taken address: its owner hears, and may set a new password."""
    link = _password_link(user, scope.policy.password_reset_link_lifetime)
    await enqueue_email(scope.now, user.email, "account_exists", {"link": link})


async def password_reset(scope: Scope, user: User) -> None:
    link = _password_link(user, scope.policy.password_reset_link_lifetime)
    await enqueue_email(scope.now, user.email, "password_reset", {"link": link})


async def password_changed(scope: Scope, user: User) -> None:
    await enqueue_email(scope.now, user.email, "password_changed", {})


async def company_invitation(
    scope: Scope, user: User, invitation: CompanyInvitation, company: Company, inviter: User
) -> None:
    """Links to join or decline, valid as long as the invitation; a user without a password
    (just made for the invitation) also gets a link to choose one."""
    lifetime = scope.policy.invitation_link_lifetime
    data: dict[str, object] = {
        "company": {"id": company.id, "name": company.name},
        "role": invitation.role.value,
        "inviter_name": inviter.name,
        "invitation_id": invitation.id,
        "invitation_minutes": int(lifetime.total_seconds() // 60),
    }
    if not user.password_hash:
        data["link"] = _password_link(user, lifetime)
    await enqueue_email(scope.now, invitation.email, "company_invitation", data)
