"""Where a company's status page lives: `PUBLIC_URL/status/<slug>`, for public companies only."""

from ...models import Company
from ..core.visibility import company_visible

STATUS_PREFIX = "/status/"


def status_page_url(public_url: str, company: Company) -> str | None:
    """None for a private company (and one inserted by hand without a slug)."""
    if not company.is_public or company.slug is None:
        return None
    return f"{public_url.rstrip('/')}{STATUS_PREFIX}{company.slug}"


def status_page_url_sql(company: str, base: str) -> str:
    """SQL: the same for the companies row `company`, as text or NULL; `base` is SQL for
    `PUBLIC_URL/status/`."""
    shown = f"{company_visible(company, None)} AND {company}.slug IS NOT NULL"
    return f"CASE WHEN {shown} THEN {base} || {company}.slug END"
