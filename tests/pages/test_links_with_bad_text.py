"""A link altered into text no signature is written in (non-ASCII, a NUL) is refused as any
altered link is (403), never a server error."""

import pytest
from aiohttp.test_utils import TestClient

FAR_FUTURE = 99_999_999_999


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    "page", ["/subscriptions/1/confirm", "/subscriptions/1/unsubscribe", "/invitations/1/accept"]
)
@pytest.mark.parametrize("signature", ["%C3%A9", "%00", "%ED%A0%80", "a%C2%A0b"])
async def test_a_signature_no_link_carries_is_an_altered_link(
    client: TestClient, method: str, page: str, signature: str
) -> None:
    response = await client.request(method, f"{page}?expires={FAR_FUTURE}&signature={signature}")

    assert response.status == 403
