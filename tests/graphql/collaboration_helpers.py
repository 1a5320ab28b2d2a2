"""Givens for the tests of working an issue together: issues people take part in, through the
same logic the invitation e-mail's link uses."""

from issuetracker.models import Category, Issue
from issuetracker.resolvers.issues.participants import accept_invitation, invite_to_issue

from ..support import Person, anonymous_scope, make_issue


async def join(issue: Issue, invited_by: Person, *people: Person) -> None:
    """Each person is invited to the issue and accepts."""
    for person in people:
        assert person.user is not None
        invitation = await invite_to_issue(invited_by.scope, issue.id, person.user.email)
        await accept_invitation(anonymous_scope(), invitation.id)


async def make_shared_issue(
    owner: Person,
    *others: Person,
    in_categories: tuple[Category, ...] = (),
    name: str | None = None,
    tags: list[str] | None = None,
) -> Issue:
    """An issue `owner` created, which `others` joined."""
    issue = await make_issue(owner, *in_categories, name=name, tags=tags)
    await join(issue, owner, *others)
    return issue
