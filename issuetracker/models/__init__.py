"""Tortoise models, one module per aggregate; Tortoise discovers them through this module."""

from .accounts import RateLimitHit
from .audit import AuditAction, AuditEntry
from .clients import ClientBudget, RegisteredDocument
from .companies import Category, Company, CompanyInvitation, Membership, RetiredSlug, Role
from .issue_parts import ActionItem, Fact, Invitation, Upload
from .issues import (
    PART_TIMES,
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
from .live import ChangeKind, LiveChange
from .notifications import (
    DeliveryAttempt,
    MessageKind,
    MessageStatus,
    OutboxMessage,
    Subscription,
    Webhook,
)
from .users import ApiToken, User, UserStatus

__all__ = [
    "PART_TIMES",
    "ActionItem",
    "ApiToken",
    "AuditAction",
    "AuditEntry",
    "Category",
    "ChangeKind",
    "ClientBudget",
    "Company",
    "CompanyInvitation",
    "DeliveryAttempt",
    "EventKind",
    "Fact",
    "Invitation",
    "Issue",
    "IssueCategory",
    "IssueEvent",
    "IssueParticipant",
    "IssueStatus",
    "IssueTag",
    "LiveChange",
    "Membership",
    "MessageKind",
    "MessageStatus",
    "OutboxMessage",
    "RateLimitHit",
    "RegisteredDocument",
    "RetiredSlug",
    "Role",
    "Severity",
    "Subscription",
    "Tag",
    "Upload",
    "User",
    "UserStatus",
    "Webhook",
]
