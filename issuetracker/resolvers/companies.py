"""Companies and their members."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tortoise.transactions import in_transaction

from ..models import Company, Membership, Role, User
from . import account_mail
from .accounts import user_for_invitation
from .actor import Actor, require_user, require_verified_user
from .errors import Forbidden, NotFound, ValidationFailed
from .pagination import Page, Pagination, paginate
from .permissions import ensure_company_manager, ensure_member
from .validation import Collector
from .visibility import visible_companies


@dataclass(frozen=True, slots=True)
class CompanyChanges:
    name: str | None = None
    logo_url: str | None = None
    is_public: bool | None = None


async def list_companies(actor: Actor, page: Pagination) -> Page[Company]:
    return await paginate(visible_companies(actor), page, newest_first=False)


async def list_member_companies(actor: Actor, page: Pagination) -> Page[Company]:
    user = require_user(actor)
    return await paginate(Company.filter(memberships__user_id=user.id), page, newest_first=False)


async def get_company(actor: Actor, company_id: int) -> Company:
    company = await visible_companies(actor).get_or_none(id=company_id)
    if company is None:
        raise NotFound("Company not found.")
    return company


def _clean(changes: CompanyChanges, *, creating: bool) -> dict[str, Any]:
    check = Collector()
    values: dict[str, Any] = {}
    if creating or changes.name is not None:
        values["name"] = check.text("name", changes.name)
    if changes.logo_url is not None:
        logo_url = check.text("logo_url", changes.logo_url, max_length=2048, required=False)
        values["logo_url"] = logo_url or None  # an empty URL removes the logo
    if changes.is_public is not None:
        values["is_public"] = changes.is_public
    check.raise_if_any()
    return values


async def create_company(actor: Actor, changes: CompanyChanges) -> Company:
    user = require_verified_user(actor)
    values = _clean(changes, creating=True)
    async with in_transaction():
        company = await Company.create(**values)
        await Membership.create(user=user, company=company, role=Role.OWNER)
    return company


async def update_company(actor: Actor, company_id: int, changes: CompanyChanges) -> Company:
    require_user(actor)
    company = await get_company(actor, company_id)
    await ensure_member(actor, company.id)
    values = _clean(changes, creating=False)
    if values:
        await company.update_from_dict(values).save()
    return company


async def delete_company(actor: Actor, company_id: int) -> Company:
    require_user(actor)
    company = await get_company(actor, company_id)
    await ensure_company_manager(actor, company.id)
    await company.delete()
    return company


async def _managed_company(actor: Actor, company_id: int, role: Role) -> tuple[Company, Role]:
    """The company and the actor's role in it, when the actor may give someone `role`."""
    require_user(actor)
    company = await get_company(actor, company_id)
    actor_role = await ensure_company_manager(actor, company.id)
    if role is Role.OWNER and actor_role is not Role.OWNER:
        raise Forbidden("Only owners may make someone an owner.")
    return company, actor_role


def _address(email: str) -> str:
    check = Collector()
    address = check.email("email", email)
    check.raise_if_any()
    return address or ""


async def invite_company_member(
    actor: Actor, company_id: int, email: str, role: Role, link_lifetime: timedelta
) -> Membership:
    """An existing user becomes a member; an unknown address gets an account first (with an
    e-mailed link to choose a password). Either way the person is told by e-mail."""
    require_verified_user(actor)  # an unverified sign-up may not e-mail strangers
    company, _ = await _managed_company(actor, company_id, role)
    address = _address(email)
    async with in_transaction():
        user = await user_for_invitation(address)
        membership, created = await Membership.get_or_create(
            user=user, company=company, defaults={"role": role}
        )
        if not created:
            raise ValidationFailed.single(
                "email", "This person is already a member of the company.", "ALREADY_MEMBER"
            )
        await account_mail.company_invitation(
            user, company, role, require_user(actor), link_lifetime
        )
    return membership


async def add_company_member(
    actor: Actor, company_id: int, email: str, role: Role, link_lifetime: timedelta
) -> Membership:
    """Adds a known user (told by e-mail), or changes a member's role. Kept for existing
    clients: inviteCompanyMember and changeCompanyMemberRole split the two."""
    company, actor_role = await _managed_company(actor, company_id, role)
    address = _address(email)
    user = await User.get_or_none(email=address)
    if user is None:
        raise ValidationFailed.single("email", "No user has this email address.", "UNKNOWN_USER")
    async with in_transaction():
        membership, created = await Membership.get_or_create(
            user=user, company=company, defaults={"role": role}
        )
        if created:
            await account_mail.company_invitation(
                user, company, role, require_user(actor), link_lifetime
            )
        else:
            await _set_role(actor_role, membership, role, "email")
    return membership


async def change_company_member_role(
    actor: Actor, company_id: int, user_id: int, role: Role
) -> Membership:
    company, actor_role = await _managed_company(actor, company_id, role)
    async with in_transaction():
        membership = await Membership.get_or_none(company_id=company.id, user_id=user_id)
        if membership is None:
            raise NotFound("Member not found.")
        await _set_role(actor_role, membership, role, "role")
    return membership


async def _set_role(actor_role: Role, membership: Membership, role: Role, field: str) -> None:
    if membership.role is role:
        return
    if membership.role is Role.OWNER or role is Role.OWNER:
        await _ensure_owner_change_allowed(actor_role, membership.company_id, membership, field)
    membership.role = role
    await membership.save(update_fields=["role"])


async def remove_company_member(actor: Actor, company_id: int, user_id: int) -> Membership:
    require_user(actor)
    company = await get_company(actor, company_id)
    leaving_self = actor.user_id == user_id
    actor_role = await (ensure_member if leaving_self else ensure_company_manager)(
        actor, company.id
    )
    async with in_transaction():
        membership = await Membership.get_or_none(company_id=company.id, user_id=user_id)
        if membership is None:
            raise NotFound("Member not found.")
        if membership.role is Role.OWNER:
            await _ensure_owner_change_allowed(actor_role, company.id, membership, "user_id")
        await membership.delete()
    return membership


async def _ensure_owner_change_allowed(
    actor_role: Role, company_id: int, owner: Membership, field: str
) -> None:
    """`field` is the input field that names the person, for the payload error."""
    if actor_role is not Role.OWNER:
        raise Forbidden("Only owners may change another owner.")
    if owner.role is Role.OWNER:
        # Locks the owners' rows (on PostgreSQL) so two owners cannot remove each other at once.
        owners = await Membership.filter(company_id=company_id, role=Role.OWNER).select_for_update()
        if len(owners) <= 1:
            raise ValidationFailed.single(
                field, "A company must keep at least one owner.", "LAST_OWNER"
            )
