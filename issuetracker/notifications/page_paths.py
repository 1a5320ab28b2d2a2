"""Where the pages behind e-mailed links live. The pages are routed at these paths and the
links in e-mails point at them, so the two cannot drift apart."""

SUBSCRIPTION_PAGE = "/subscriptions/{id}/{action}"
"""`action` is "confirm" or "unsubscribe"."""
INVITATION_PAGE = "/invitations/{id}/accept"
COMPANY_INVITATION_PAGE = "/company-invitations/{id}/{action}"
"""`action` is "accept" or "decline"."""
VERIFY_EMAIL_PAGE = "/account/verify-email"
SET_PASSWORD_PAGE = "/account/password"  # noqa: S105 (a path, not a secret)


def subscription_path(subscription_id: int, action: str) -> str:
    return SUBSCRIPTION_PAGE.format(id=subscription_id, action=action)


def invitation_path(invitation_id: int) -> str:
    return INVITATION_PAGE.format(id=invitation_id)


def company_invitation_path(invitation_id: int, action: str) -> str:
    return COMPANY_INVITATION_PAGE.format(id=invitation_id, action=action)
