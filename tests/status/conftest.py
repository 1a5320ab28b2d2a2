"""A public company's status as its customers see it: a company with two categories, open,
resolved and deleted issues, and beside it a private company sharing an issue with it."""

from dataclasses import dataclass

import pytest

from issuetracker.models import Category, Company, Issue, Severity
from issuetracker.resolvers.issues.writes import add_issue_event, close_issue, delete_issue

from ..support import Person, make_category, make_issue


@dataclass
class StatusWorld:
    company: Company
    network: Category
    printers: Category
    outage: Issue
    """Open, critical, in Network, with a note."""
    jam: Issue
    """Open, minor, in Printers."""
    fixed: Issue
    """Resolved just now, in Network."""
    deleted: Issue
    """Deleted, in Printers."""
    private_company: Company
    secret_category: Category
    secret: Issue
    """Only in the private company's category."""
    shared: Issue
    """In Network and in the private company's category."""


@pytest.fixture
async def world(owner: Person, company: Company, private_company: Company) -> StatusWorld:
    network = await make_category(owner, company, "Network")
    printers = await make_category(owner, company, "Printers")
    outage = await make_issue(
        owner, network, name="Internet down", description="No traffic.", severity=Severity.CRITICAL
    )
    await add_issue_event(owner.scope, outage.id, "The provider is on it.")
    jam = await make_issue(owner, printers, name="Paper jam", description="Floor 2.")
    fixed = await make_issue(owner, network, name="Slow Wi-Fi", description="Meeting rooms.")
    await close_issue(owner.scope, fixed.id, "A new access point.")
    deleted = await make_issue(owner, printers, name="Toner smell", description="Odd.")
    await delete_issue(owner.scope, deleted.id)
    secret_category = await make_category(owner, private_company, "Boardroom")
    secret = await make_issue(owner, secret_category, name="Merger leak", description="Hush.")
    shared = await make_issue(
        owner,
        network,
        secret_category,
        name="VPN flaky",
        description="Both offices.",
        severity=Severity.IMPORTANT,
    )
    return StatusWorld(
        company, network, printers, outage, jam, fixed, deleted, private_company,
        secret_category, secret, shared,
    )  # fmt: skip
