"""The pages behind the links of the account e-mails: verifying an address, and choosing a
password (after a reset request, or for an invited account).

Each link carries the token the GraphQL mutations take. A GET checks it and shows a button or a
form, changing nothing; the POST does the change."""

from aiohttp import web

from ..notifications.page_paths import SET_PASSWORD_PAGE, VERIFY_EMAIL_PAGE
from ..resolvers.accounts.addresses import masked_email
from ..resolvers.accounts.link_token_checks import (
    BadToken,
    TokenProblem,
    check_password_token,
    check_verification_token,
)
from ..resolvers.accounts.password_reset import reset_password
from ..resolvers.accounts.passwords import MIN_LENGTH
from ..resolvers.accounts.registration import verify_email
from ..resolvers.core.errors import ValidationFailed
from ..web import SCOPE
from .rendering import render_page

VERIFY_TITLE = "Verify your e-mail address"
PASSWORD_TITLE = "Choose a password"  # noqa: S105 (a page title)
RENEW = {
    VERIFY_TITLE: "Sign in and ask for a new one (resendVerificationEmail).",
    PASSWORD_TITLE: 'Ask for a new one with "Forgot your password?" (requestPasswordReset).',
}
NOT_THE_SAME = "The two passwords are not the same."


def _refusal(request: web.Request, refused: BadToken, title: str) -> web.Response:
    problem = refused.problem
    context = {
        "expired": problem is TokenProblem.EXPIRED,
        "used": problem is TokenProblem.USED,
        "renew": RENEW[title],
    }
    status = 403 if problem is TokenProblem.INVALID else 410
    return render_page(request, "pages/link_error.html", context, status)


def _token(request: web.Request) -> str:
    return request.query.get("token", "")


async def show_verification(request: web.Request) -> web.Response:
    scope = request[SCOPE]
    try:
        user = await check_verification_token(_token(request), scope.policy.secret_key, scope.now)
    except BadToken as refused:
        return _refusal(request, refused, VERIFY_TITLE)
    context = {
        "title": VERIFY_TITLE,
        "action_url": str(request.rel_url),
        "masked_email": masked_email(user.email),
    }
    return render_page(request, "pages/verify_email.html", context)


async def verify(request: web.Request) -> web.Response:
    try:
        done = await verify_email(request[SCOPE], _token(request))
    except BadToken as refused:
        return _refusal(request, refused, VERIFY_TITLE)
    message = (
        "Your e-mail address is verified. You can now create companies and issues."
        if done
        else "Your e-mail address was already verified."
    )
    return render_page(request, "pages/result.html", {"title": VERIFY_TITLE, "message": message})


def _password_form(
    request: web.Request, email: str, errors: list[str], status: int = 200
) -> web.Response:
    context = {
        "title": PASSWORD_TITLE,
        "action_url": str(request.rel_url),
        "email": masked_email(email),
        "errors": errors,
        "min_length": MIN_LENGTH,
    }
    return render_page(request, "pages/set_password.html", context, status)


async def show_password_form(request: web.Request) -> web.Response:
    scope = request[SCOPE]
    try:
        user = await check_password_token(_token(request), scope.policy.secret_key, scope.now)
    except BadToken as refused:
        return _refusal(request, refused, PASSWORD_TITLE)
    return _password_form(request, user.email, [])


async def set_password(request: web.Request) -> web.Response:
    scope = request[SCOPE]
    form = await request.post()
    password = str(form.get("password", ""))
    try:
        user = await check_password_token(_token(request), scope.policy.secret_key, scope.now)
        if password != str(form.get("password_confirmation", "")):
            return _password_form(request, user.email, [NOT_THE_SAME], 422)
        await reset_password(scope, _token(request), password)
    except BadToken as refused:
        return _refusal(request, refused, PASSWORD_TITLE)
    except ValidationFailed as invalid:
        return _password_form(request, user.email, [e.message for e in invalid.errors], 422)
    message = "Your password is set. Sign in with your e-mail address and the new password."
    return render_page(request, "pages/result.html", {"title": PASSWORD_TITLE, "message": message})


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(VERIFY_EMAIL_PAGE, show_verification, allow_head=False)
    router.add_post(VERIFY_EMAIL_PAGE, verify)
    router.add_get(SET_PASSWORD_PAGE, show_password_form, allow_head=False)
    router.add_post(SET_PASSWORD_PAGE, set_password)
