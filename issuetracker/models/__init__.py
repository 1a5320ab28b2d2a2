"""Tortoise models, one module per aggregate; Tortoise discovers them through this module."""

from .companies import Category, Company, Membership, Role
from .issues import (
    EventKind,
    Issue,
    IssueCategory,
    IssueEvent,
    IssueParticipant,
    IssueStatus,
    IssueTag,
    Severity,
    Tag,
)
from .notifications import Subscription, Webhook
from .users import ApiToken, User, UserStatus

__all__ = [
    "ApiToken",
    "Category",
    "Company",
    "EventKind",
    "Issue",
    "IssueCategory",
    "IssueEvent",
    "IssueParticipant",
    "IssueStatus",
    "IssueTag",
    "Membership",
    "Role",
    "Severity",
    "Subscription",
    "Tag",
    "User",
    "UserStatus",
    "Webhook",
]
