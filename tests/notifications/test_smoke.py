from issuetracker.notifications.dispatcher import Dispatcher

from ..support import Api, Person, make_category
from .conftest import Receiver, SmtpServer, deliver_all, links_in

SUBSCRIBE = """mutation ($id: ID!, $email: String!) {
  subscribeToCategory(input: {categoryId: $id, email: $email}) { created errors { code } }
}"""


async def test_a_subscriber_gets_one_confirmation_email(
    api: Api,
    owner: Person,
    company,
    smtp: SmtpServer,
    dispatcher: Dispatcher,
    receiver: Receiver,
) -> None:
    from ..support import gid

    category = await make_category(owner, company, "Network")

    data = await api.data(SUBSCRIBE, {"id": gid("Category", category), "email": "r@example.com"})
    await deliver_all(dispatcher)

    assert data["subscribeToCategory"] == {"created": True, "errors": []}
    [mail] = smtp.mailbox.to("r@example.com")
    assert mail["Subject"] == "Confirm your subscription to Network"
    assert links_in(mail)[0].startswith("http://testserver/subscriptions/")
