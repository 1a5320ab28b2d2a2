"""A company's slug, the name of its status page (`/status/<slug>`): lower-case letters, digits
and single dashes between them. Made from the name at creation (`acme-2` when `acme` is taken),
changed by owners and admins. An old slug stays the company's for `OLD_SLUG_DAYS`: its address
redirects to the new one, and no other company may take it meanwhile."""

import re
import unicodedata
from datetime import datetime, timedelta

from tortoise.expressions import Q

from ...models import Company, RetiredSlug
from ..core.errors import ErrorCode, ValidationFailed
from ..core.validation import Collector, column_limit

SLUG_LENGTH = column_limit(Company, "slug")
MADE_LENGTH = SLUG_LENGTH - 8
"""A slug made from a name leaves room for a number (`-2`, ...)."""
OLD_SLUG_DAYS = 90
SLUG_FORM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MALFORMED = "A slug has lower-case letters, digits and single dashes between them."
TAKEN = "Another company has this slug, or had it lately."


def slug_from_name(name: str) -> str:
    """`Café Déjà Vu!` becomes `cafe-deja-vu`; a name with no letter or digit, `company`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:MADE_LENGTH].strip("-")
    return slug or "company"


def clean_slug(check: Collector, slug: str | None) -> str | None:
    """The slug asked for, or None (with the error noted) when it is malformed."""
    cleaned = check.text("slug", slug, max_length=SLUG_LENGTH)
    if cleaned and not SLUG_FORM.fullmatch(cleaned):
        check.add("slug", MALFORMED, ErrorCode.INVALID)
        return None
    return cleaned


def old_slugs_kept_since(now: datetime) -> datetime:
    """Slugs retired after this moment still redirect, and are still taken."""
    return now - timedelta(days=OLD_SLUG_DAYS)


def _held(now: datetime, slugs: Q, retired: Q, company_id: int | None) -> tuple[Q, Q]:
    """Conditions on companies and on retired slugs: held by a company other than this one."""
    recent = Q(retired_at__gt=old_slugs_kept_since(now))
    if company_id is None:
        return slugs, retired & recent
    return slugs & ~Q(id=company_id), retired & recent & ~Q(company_id=company_id)


async def free_slug(name: str, now: datetime) -> str:
    """A slug made from `name` that no company holds: the first of `base`, `base-2`, ..."""
    base = slug_from_name(name)
    alike, retired_alike = _held(
        now, Q(slug=base) | Q(slug__startswith=f"{base}-"), Q(slug__startswith=base), None
    )
    current = await Company.filter(alike).values_list("slug", flat=True)
    retired = await RetiredSlug.filter(retired_alike).values_list("slug", flat=True)
    taken = {str(slug) for slug in [*current, *retired]}
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


async def ensure_slug_free(slug: str, now: datetime, company_id: int | None) -> None:
    current, retired = _held(now, Q(slug=slug), Q(slug=slug), company_id)
    if await Company.exists(current) or await RetiredSlug.exists(retired):
        raise ValidationFailed.single("slug", TAKEN, ErrorCode.TAKEN)


async def retire_slug(company: Company, new_slug: str, now: datetime) -> None:
    """Inside the change's transaction: the company's slug becomes `new_slug`; the one it had
    redirects. A retired slug no one holds any more (the company's own, or one kept past its
    time) is free for the taking."""
    await RetiredSlug.filter(slug=new_slug).delete()
    if company.slug is None or company.slug == new_slug:
        return
    await RetiredSlug.filter(slug=company.slug).delete()
    await RetiredSlug.create(company_id=company.id, slug=company.slug, retired_at=now)
