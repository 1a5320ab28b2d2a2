"""Following a public company's issues by e-mail from its status page, through the one double
opt-in every face uses (`following/followers.py`): each new subscription e-mails a link to
confirm it, and asking again for one that exists sends nothing."""

from typing import cast

from ...models import Category, IssueCategory
from ..core.errors import ErrorCode, NotFound, ValidationFailed
from ..core.ids import is_row_id
from ..core.scope import Scope
from ..core.validation import Collector
from ..following.followers import subscribe_to_category, subscribe_to_issue

NO_SUCH_CATEGORY = "Choose one of the company's categories, or all of them."


def _checked_email(email: str | None) -> str:
    check = Collector()
    address = check.email("email", email)
    check.raise_if_any()
    return address or ""


async def follow_categories(
    scope: Scope, company_id: int, category_id: int | None, email: str | None
) -> int:
    """Follows one category of the company, or all of them (None), each confirmed on its own;
    the number of confirmation e-mails asked for (0 when all were followed already)."""
    address = _checked_email(email)
    if category_id is not None and not is_row_id(category_id):
        raise ValidationFailed.single("category", NO_SUCH_CATEGORY, ErrorCode.UNKNOWN)
    categories = Category.filter(company_id=company_id)
    if category_id is not None:
        categories = categories.filter(id=category_id)
    category_ids = cast(
        list[int], await categories.order_by("name", "id").values_list("id", flat=True)
    )
    if not category_ids:
        raise ValidationFailed.single("category", NO_SUCH_CATEGORY, ErrorCode.UNKNOWN)
    created = 0
    for each in category_ids:
        result = await subscribe_to_category(scope, each, address)
        created += result.created
    return created


async def follow_issue(scope: Scope, company_id: int, issue_id: int, email: str | None) -> bool:
    """Follows an issue shown on the company's page; True when a confirmation e-mail was asked
    for. A closed issue takes no new followers (`IssueClosed`)."""
    address = _checked_email(email)
    shown = IssueCategory.filter(issue_id=issue_id, category__company_id=company_id)
    if not await shown.exists():
        raise NotFound("Issue not found.")
    result = await subscribe_to_issue(scope, issue_id, address)
    return result.created
