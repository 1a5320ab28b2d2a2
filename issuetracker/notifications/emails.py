"""Building e-mails: pure functions from an outbox payload to a multipart message."""

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import jinja2

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
}

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
        path = f"/subscriptions/{subscription_id}/confirm"
        return signed_url(self.public_url, self.secret_key, path, self.now)

    def unsubscribe_url(self, subscription_id: int) -> str:
        path = f"/subscriptions/{subscription_id}/unsubscribe"
        return signed_url(
            self.public_url, self.secret_key, path, self.now, UNSUBSCRIBE_LINK_LIFETIME
        )

    def accept_invitation_url(self, invitation_id: int) -> str:
        path = f"/invitations/{invitation_id}/accept"
        return signed_url(
            self.public_url, self.secret_key, path, self.now, INVITATION_LINK_LIFETIME
        )


def _subject(template: str, data: dict[str, Any]) -> str:
    """One line: names may hold line breaks, which a header may not."""
    issue = data.get("issue") or {}
    subject = SUBJECTS[template].format(
        target_name=data.get("target_name", ""),
        severity=str(issue.get("severity", "")).upper(),
        issue_name=issue.get("name") or data.get("issue_name", ""),
        invited_by=data.get("invited_by", ""),
    )
    return " ".join(subject.split())


def build_email(
    template: str, to: str, data: dict[str, Any], sender: str, links: LinkSigner
) -> EmailMessage:
    subscription_id = data.get("subscription_id")
    context = {**data, "confirm_url": None, "unsubscribe_url": None}
    if template == "subscription_confirmation" and subscription_id:
        context["confirm_url"] = links.confirm_url(subscription_id)
    elif subscription_id:
        context["unsubscribe_url"] = links.unsubscribe_url(subscription_id)
    if template == "issue_invitation":
        context["accept_url"] = links.accept_invitation_url(data["invitation_id"])
    message = EmailMessage()
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
