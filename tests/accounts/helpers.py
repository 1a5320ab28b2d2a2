"""Helpers for the account tests: GraphQL over HTTP from a chosen client address, people with
passwords, and the e-mails and links the SMTP server received."""

import itertools
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from issuetracker.models import User
from issuetracker.notifications.dispatcher import Dispatcher
from issuetracker.resolvers.accounts.tokens import issue_token
from issuetracker.resolvers.accounts.users import create_verified_user

from ..notifications.conftest import SmtpServer, deliver_all, links_in
from ..notifications.mail_helpers import query_of, with_query
from ..support import anonymous_scope

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"
WRONG_PASSWORD = "not the password at all"

_numbers = itertools.count(1)

REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { errors { field message code } } }
"""

VERIFY_EMAIL = """
mutation ($token: String!) {
  verifyEmail(input: {token: $token}) { errors { field message code } }
}
"""

RESEND_VERIFICATION = """
mutation { resendVerificationEmail { errors { field message code } } }
"""

LOGIN = """
mutation ($input: LoginInput!) {
  login(input: $input) {
    apiToken { secret token { name prefix expiresAt revokedAt } }
    errors { field message code }
  }
}
"""

LOGOUT = """
mutation { logout { apiToken { name revokedAt } errors { field message code } } }
"""

REQUEST_PASSWORD_RESET = """
mutation ($email: String!) {
  requestPasswordReset(input: {email: $email}) { errors { field message code } }
}
"""

RESET_PASSWORD = """
mutation ($token: String!, $password: String!) {
  resetPassword(input: {token: $token, password: $password}) { errors { field message code } }
}
"""

VIEWER = """
query { viewer { name email emailVerifiedAt timeZone phone title avatarUrl } }
"""

VERIFY_SUBJECT = "Verify your e-mail address"


def new_address(label: str = "person") -> str:
    return f"{label}{next(_numbers)}@example.com"


@dataclass(frozen=True)
class Account:
    """Someone with a password (and a token from before the test's sign-ins)."""

    user: User
    password: str
    token: str

    @property
    def email(self) -> str:
        return self.user.email


async def make_account(name: str = "Pat Person", password: str = PASSWORD) -> Account:
    user = await create_verified_user(
        anonymous_scope(), new_address(name.split()[0].lower()), name, password
    )
    issued = await issue_token(anonymous_scope(), user, "earlier", lifetime=None)
    return Account(user, password, issued.secret)


async def graphql(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    from_address: str | None = None,
) -> dict[str, Any]:
    """The JSON body, with the HTTP status under "status"."""
    response = await _post(client, query, variables, token, from_address)
    body = await response.json()
    body["status"] = response.status
    return body


async def whole_response(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    from_address: str | None = None,
) -> tuple[int, list[tuple[str, str]], str]:
    """Everything a client could compare: the status, the headers (but the request id and the
    date, which differ on every response) and the body."""
    response = await _post(client, query, variables, None, from_address)
    headers = sorted(
        (name.lower(), value)
        for name, value in response.headers.items()
        if name.lower() not in ("x-request-id", "date")
    )
    return response.status, headers, await response.text()


async def _post(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None,
    token: str | None,
    from_address: str | None,
) -> ClientResponse:
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if from_address:
        headers["X-Forwarded-For"] = from_address
    return await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )


def payload(body: dict[str, Any], mutation: str) -> dict[str, Any]:
    assert "errors" not in body, body["errors"]
    return body["data"][mutation]


def top_level_error(body: dict[str, Any]) -> tuple[str, str]:
    """The code and message of the one top-level error of a refused request."""
    assert len(body["errors"]) == 1, body["errors"]
    return body["errors"][0]["extensions"]["code"], body["errors"][0]["message"]


async def register(
    client: TestClient,
    email: str,
    password: str = PASSWORD,
    name: str = "Newcomer",
    from_address: str | None = None,
) -> dict[str, Any]:
    body = await graphql(
        client,
        REGISTER,
        {"input": {"email": email, "name": name, "password": password}},
        from_address=from_address,
    )
    return payload(body, "register")


async def login(
    client: TestClient,
    email: str,
    password: str = PASSWORD,
    *,
    from_address: str | None = None,
    token_name: str | None = None,
) -> dict[str, Any]:
    """The whole body: a sign-in may be refused at the top level (RATE_LIMITED)."""
    variables = {"input": {"email": email, "password": password, "tokenName": token_name}}
    return await graphql(client, LOGIN, variables, from_address=from_address)


async def signs_in(
    client: TestClient, email: str, password: str = PASSWORD, *, from_address: str | None = None
) -> bool:
    """Whether the address and password are accepted; a limited attempt fails the test, so that
    a refusal always means the credentials were wrong."""
    result = payload(await login(client, email, password, from_address=from_address), "login")
    return result["errors"] == []


async def signed_in_token(client: TestClient, email: str, password: str = PASSWORD) -> str:
    result = payload(await login(client, email, password), "login")
    assert result["errors"] == [], result
    return result["apiToken"]["secret"]


async def viewer(client: TestClient, token: str) -> dict[str, Any] | None:
    body = await graphql(client, VIEWER, token=token)
    return payload(body, "viewer")


async def mails_to(smtp: SmtpServer, dispatcher: Dispatcher, address: str) -> list[EmailMessage]:
    """Sends whatever is due, then every e-mail the address has received."""
    await deliver_all(dispatcher)
    return smtp.mailbox.to(address)


async def the_mail(
    smtp: SmtpServer, dispatcher: Dispatcher, address: str, subject: str
) -> EmailMessage:
    """The one e-mail with this subject the address received."""
    found = [
        mail for mail in await mails_to(smtp, dispatcher, address) if mail["Subject"] == subject
    ]
    assert len(found) == 1, [mail["Subject"] for mail in smtp.mailbox.to(address)]
    return found[0]


def account_link(mail: EmailMessage) -> str:
    """The one link of an account e-mail."""
    [link] = [link for link in links_in(mail) if "/account/" in link]
    return link


def token_of(link: str) -> str:
    return query_of(link)["token"]


def with_token(link: str, token: str) -> str:
    return with_query(link, token=token)


def altered(token: str, how: str, other_user_guid: str = "") -> str:
    """The token spoiled as someone editing a link would: `signature`, `user`, `stamp`,
    `later expiry`, `truncated` or `empty`."""
    user, stamp, expires, signature = token.split(".")
    if how == "signature":
        signature = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    elif how == "user":
        user = other_user_guid
    elif how == "stamp":
        stamp = "0" * len(stamp)
    elif how == "later expiry":
        expires = str(int(expires) + 86400)
    elif how == "truncated":
        return token[:-10]
    elif how == "empty":
        return ""
    spoiled = ".".join([user, stamp, expires, signature])
    assert spoiled != token
    return spoiled
