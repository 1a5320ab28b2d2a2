"""Building e-mails: pure functions from an outbox payload to a multipart message."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy as email_policy
from email.headerregistry import BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import jinja2

from .link_tokens import account_url
from .page_paths import company_invitation_path, invitation_path, subscription_path
from .signing import LINK_LIFETIME, signed_url

TEMPLATES = Path(__file__).parent.parent / "templates" / "emails"
UNSUBSCRIBE_LINK_LIFETIME = LINK_LIFETIME * 15
"""Unsubscribe links outlive confirmation links: people open old e-mails to leave."""
INVITATION_LINK_LIFETIME = LINK_LIFETIME * 7

SUBJECTS = {
    "subscription_confirmation": "Confirm your subscription to {target_name}",
    "issue_created": "[{severity}] New issue: {issue_name}",
    "issue_updated": "[{severity}] Update: {issue_name}",
    "issue_closed": "Resolved: {issue_name}",
    "webhook_disabled": "Your webhook was disabled",
    "issue_invitation": "{invited_by} invites you to the issue {issue_name}",
    "email_verification": "Verify your e-mail address",
    "account_exists": "You already have an account",
    "password_reset": "Choose a new password",
    "password_changed": "Your password was changed",
    "company_invitation": "{inviter_name} invites you to join {company_name}",
}


class LiteralHeader(UnstructuredHeader, BaseHeader):
    """Written as it is, on one line: `List-Unsubscribe` is `<https://...>`, which one-click
    clients (RFC 8058) read literally, and a URL has no space to fold at, so the default would
    turn it into RFC 2047 encoded words. (RFC 5322 allows lines up to 998 characters.)"""

    def fold(self, *, policy: email_policy.Policy) -> str:
        if not self.isascii():  # a PUBLIC_URL of other letters: the encoded words it is
            return super().fold(policy=policy)
        return f"{self.name}: {self}{policy.linesep}"


_headers = HeaderRegistry()
_headers.map_to_type("list-unsubscribe", LiteralHeader)
MESSAGE_POLICY = email_policy.default.clone(header_factory=_headers)

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class LinkSigner:
    public_url: str
    secret_key: str
    now: datetime

    def confirm_url(self, subscription_id: int) -> str:
        path = subscription_path(subscription_id, "confirm")
        return signed_url(self.public_url, self.secret_key, path, self.now)

    def unsubscribe_url(self, subscription_id: int) -> str:
        path = subscription_path(subscription_id, "unsubscribe")
        return signed_url(
            self.public_url, self.secret_key, path, self.now, UNSUBSCRIBE_LINK_LIFETIME
        )

    def accept_invitation_url(self, invitation_id: int) -> str:
        path = invitation_path(invitation_id)
        return signed_url(
            self.public_url, self.secret_key, path, self.now, INVITATION_LINK_LIFETIME
        )

    def company_invitation_url(self, invitation_id: int, action: str, minutes: int) -> str:
        path = company_invitation_path(invitation_id, action)
        lifetime = timedelta(minutes=minutes)
        return signed_url(self.public_url, self.secret_key, path, self.now, lifetime)

    def account_url(self, link: dict[str, Any]) -> str:
        return account_url(self.public_url, self.secret_key, link, self.now)


def _subject(template: str, data: dict[str, Any]) -> str:
    """One line: names may hold line breaks, which a header may not."""
    issue = data.get("issue") or {}
    subject = SUBJECTS[template].format(
        target_name=data.get("target_name", ""),
        severity=str(issue.get("severity", "")).upper(),
        issue_name=issue.get("name") or data.get("issue_name", ""),
        invited_by=data.get("invited_by", ""),
        inviter_name=data.get("inviter_name", ""),
        company_name=(data.get("company") or {}).get("name", ""),
    )
    return " ".join(subject.split())


def _duration(minutes: int) -> str:
    for unit, length in (("day", 1440), ("hour", 60), ("minute", 1)):
        if minutes % length == 0:
            count = minutes // length
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{minutes} minutes"


def _company_invitation_links(data: dict[str, Any], links: LinkSigner) -> dict[str, Any]:
    """Joining and declining; none in an e-mail queued before invitations waited (the person
    was added then)."""
    if not data.get("invitation_id"):
        return {"accept_url": None, "decline_url": None}
    minutes = data["invitation_minutes"]
    return {
        "accept_url": links.company_invitation_url(data["invitation_id"], "accept", minutes),
        "decline_url": links.company_invitation_url(data["invitation_id"], "decline", minutes),
        "invitation_valid_for": _duration(minutes),
    }


def build_email(
    template: str, to: str, data: dict[str, Any], sender: str, links: LinkSigner
) -> EmailMessage:
    subscription_id = data.get("subscription_id")
    context = {**data, "confirm_url": None, "unsubscribe_url": None, "action_url": None}
    if data.get("link"):
        context["action_url"] = links.account_url(data["link"])
        context["link_valid_for"] = _duration(data["link"]["minutes"])
    if template == "subscription_confirmation" and subscription_id:
        context["confirm_url"] = links.confirm_url(subscription_id)
    elif subscription_id:
        context["unsubscribe_url"] = links.unsubscribe_url(subscription_id)
    if template == "issue_invitation":
        context["accept_url"] = links.accept_invitation_url(data["invitation_id"])
    if template == "company_invitation":
        context.update(_company_invitation_links(data, links))
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = _subject(template, data)
    message["Message-ID"] = make_msgid(domain="issuetracker")
    if context["unsubscribe_url"]:
        message["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_environment.get_template(f"{template}.txt").render(context))
    message.add_alternative(
        _environment.get_template(f"{template}.html").render(context), subtype="html"
    )
    return message
