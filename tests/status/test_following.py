"""Following from a status page: the forms POST to the existing double opt-in, so the address
gets the one confirmation e-mail (sent here to a real SMTP server); a double submit sends one;
after the POST the browser is sent to a "check your e-mail" page; bad input shows the page
again with a clear message, and sends nothing."""

from aiohttp.test_utils import TestClient

from issuetracker.notifications.dispatcher import Dispatcher

from ..notifications.conftest import (
    SmtpServer,
    clock,
    deliver_all,
    dispatcher,
    receiver,
    settings,
    smtp,
)
from ..notifications.mail_helpers import CONFIRM_SUBJECT, link_for, path_of
from .conftest import StatusWorld
from .helpers import fetch, issue_path, page_path
from .html import parse_html

__all__ = ["clock", "dispatcher", "receiver", "settings", "smtp"]

READER = "reader@example.org"


async def post_form(client: TestClient, path: str, **fields: str) -> tuple[int, str, str]:
    """Status, where it sends the browser, and the page, of a form's submission."""
    response = await client.post(path, data=fields, allow_redirects=False)
    return response.status, response.headers.get("Location", ""), await response.text()


async def sent_subjects(smtp: SmtpServer, dispatcher: Dispatcher) -> list[str]:
    await deliver_all(dispatcher)
    return sorted(message["Subject"] for message in smtp.mailbox.to(READER))


async def test_following_a_category_sends_one_confirmation_and_a_double_submit_no_more(
    client: TestClient, world: StatusWorld, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    # when the reader follows Network from the page, twice
    form = {"email": READER, "category": str(world.network.id)}
    first = await post_form(client, page_path(world.company, "/follow"), **form)
    second = await post_form(client, page_path(world.company, "/follow"), **form)

    # then the browser is sent to the same "check your e-mail" page each time
    sent_page = page_path(world.company, "/check-your-email")
    assert first[:2] == second[:2] == (303, sent_page)
    page = await fetch(client, sent_page)
    assert page.status == 200
    assert page.page.one("h1").text == "Check your e-mail"
    # and one confirmation e-mail came, whose link confirms the subscription
    assert await sent_subjects(smtp, dispatcher) == [CONFIRM_SUBJECT.format("Network")]
    [message] = smtp.mailbox.to(READER)
    confirmed = await client.post(path_of(link_for(message, "confirm")))
    assert "Your subscription is confirmed" in await confirmed.text()


async def test_following_all_categories_asks_to_confirm_each(
    client: TestClient, world: StatusWorld, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    status, location, _ = await post_form(
        client, page_path(world.company, "/follow"), email=READER, category=""
    )

    assert (status, location) == (303, page_path(world.company, "/check-your-email"))
    assert await sent_subjects(smtp, dispatcher) == [
        CONFIRM_SUBJECT.format("Network"),
        CONFIRM_SUBJECT.format("Printers"),
    ]


async def test_following_an_issue_sends_one_confirmation_and_a_double_submit_no_more(
    client: TestClient, world: StatusWorld, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    path = issue_path(world.company, world.outage, "/follow")

    first = await post_form(client, path, email=READER)
    second = await post_form(client, path, email=READER)

    assert first[:2] == second[:2] == (303, page_path(world.company, "/check-your-email"))
    assert await sent_subjects(smtp, dispatcher) == [CONFIRM_SUBJECT.format("Internet down")]


async def test_a_bad_address_shows_the_page_again_with_a_clear_message_and_sends_nothing(
    client: TestClient, world: StatusWorld, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    for path in (
        page_path(world.company, "/follow"),
        issue_path(world.company, world.jam, "/follow"),
    ):
        status, _, html = await post_form(client, path, email="not an address")

        assert status == 422
        page = (await fetch(client, path.removesuffix("/follow"))).page
        shown = parse_html(html)
        assert shown.one("p", class_="form-error").attrs["role"] == "alert"
        assert "valid email address" in shown.one("p", class_="form-error").text
        field = shown.one("input", id="follow-email")
        assert field.attrs["aria-invalid"] == "true"
        assert field.attrs["value"] == "not an address"
        assert page.all("p", class_="form-error") == []
    assert await sent_subjects(smtp, dispatcher) == []


async def test_a_category_of_another_company_is_refused_on_the_page(
    client: TestClient, world: StatusWorld, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    for category in (str(world.secret_category.id), "abc", "99999999999999999999"):
        status, _, html = await post_form(
            client, page_path(world.company, "/follow"), email=READER, category=category
        )

        assert status == 422, category
        assert "Choose one of the" in html
    assert await sent_subjects(smtp, dispatcher) == []


async def test_a_resolved_issue_takes_no_followers(
    client: TestClient, world: StatusWorld, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    status, _, html = await post_form(
        client, issue_path(world.company, world.fixed, "/follow"), email=READER
    )

    assert status == 409
    assert (
        parse_html(html).one("p", role="alert").text
        == "This issue is resolved: it takes no new followers."
    )
    assert await sent_subjects(smtp, dispatcher) == []


async def test_a_private_companys_forms_are_the_same_404_as_a_missing_ones(
    client: TestClient, world: StatusWorld, smtp: SmtpServer, dispatcher: Dispatcher
) -> None:
    missing = await post_form(client, "/status/nobody/follow", email=READER)
    answers = [
        await post_form(client, page_path(world.private_company, "/follow"), email=READER),
        await post_form(
            client, issue_path(world.private_company, world.secret, "/follow"), email=READER
        ),
        await post_form(client, issue_path(world.company, world.secret, "/follow"), email=READER),
    ]

    assert missing[0] == 404
    assert all(answer == missing for answer in answers)
    assert await sent_subjects(smtp, dispatcher) == []
