"""A company's slug names its status page: made from the name at creation, unique, changed by
owners and admins (taken and malformed slugs are bad input on the field `slug`); an old slug
redirects to the new one, and stays the company's, for 90 days. `statusPageUrl` is null for a
private company."""

from datetime import UTC, datetime, timedelta

from pytest_aiohttp import AiohttpClient

from issuetracker.models import Company
from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..support import Api, Person, gid, make_company, only_error

CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { name slug statusPageUrl } errors { field message code } }
}
"""

UPDATE_COMPANY = """
mutation ($input: UpdateCompanyInput!) {
  updateCompany(input: $input) { company { slug statusPageUrl } errors { field message code } }
}
"""

COMPANY_SLUG = """
query ($id: ID!) { company(id: $id) { name slug statusPageUrl } }
"""


async def create(api: Api, by: Person, **fields: object) -> dict:
    return (await api.data(CREATE_COMPANY, {"input": fields}, as_=by))["createCompany"]


async def change_slug(api: Api, by: Person, company: Company, slug: str) -> dict:
    return await api.graphql(
        UPDATE_COMPANY, {"input": {"id": gid("Company", company), "slug": slug}}, as_=by
    )


async def test_a_new_company_gets_a_slug_made_from_its_name(api: Api, owner: Person) -> None:
    first = await create(api, owner, name="Café Déjà Vu!")
    second = await create(api, owner, name="cafe deja vu")
    nameless = await create(api, owner, name="***")

    assert first["company"] == {
        "name": "Café Déjà Vu!",
        "slug": "cafe-deja-vu",
        "statusPageUrl": "http://testserver/status/cafe-deja-vu",
    }
    assert second["company"]["slug"] == "cafe-deja-vu-2"
    assert nameless["company"]["slug"] == "company"


async def test_a_company_may_be_created_with_a_slug_of_its_choice(api: Api, owner: Person) -> None:
    made = await create(api, owner, name="Acme", slug="acme-status")
    again = await create(api, owner, name="Other", slug="acme-status")
    malformed = await create(api, owner, name="Other", slug="Acme_Status")

    assert made["company"]["slug"] == "acme-status"
    assert again == {
        "company": None,
        "errors": [
            {
                "field": "slug",
                "message": "Another company has this slug, or had it lately.",
                "code": "TAKEN",
            }
        ],
    }
    assert malformed["errors"][0]["field"] == "slug"
    assert malformed["errors"][0]["code"] == "INVALID"


async def test_owners_and_admins_change_the_slug_and_members_may_not(
    api: Api, owner: Person, admin: Person, member: Person, company: Company
) -> None:
    by_owner = await change_slug(api, owner, company, "new-name")
    by_admin = await change_slug(api, admin, company, "newer-name")
    by_member = await change_slug(api, member, company, "member-name")

    assert by_owner["data"]["updateCompany"]["company"]["slug"] == "new-name"
    assert by_admin["data"]["updateCompany"]["company"] == {
        "slug": "newer-name",
        "statusPageUrl": "http://testserver/status/newer-name",
    }
    assert only_error(by_member) == (
        "FORBIDDEN",
        "Only owners and admins of the company may change its slug.",
    )


async def test_a_malformed_or_taken_slug_is_bad_input_naming_the_field(
    api: Api, owner: Person, company: Company
) -> None:
    other = await make_company(owner, name="Other")
    refused = {}
    for slug in ("", "UPPER", "two--dashes", "-edge", "under_score", "a" * 65, other.slug):
        body = await change_slug(api, owner, company, str(slug))
        refused[slug] = body["data"]["updateCompany"]

    for slug, payload in refused.items():
        assert payload["company"] is None, slug
        [error] = payload["errors"]
        assert error["field"] == "slug", slug
        assert error["code"] in {"INVALID", "REQUIRED", "TOO_LONG", "TAKEN"}, slug
    company_now = await api.data(COMPANY_SLUG, {"id": gid("Company", company)})
    assert company_now["company"]["slug"] == company.slug


async def test_an_old_slug_redirects_to_the_new_one(
    api: Api, owner: Person, company: Company
) -> None:
    old = company.slug
    await change_slug(api, owner, company, "renamed")

    response = await api.client.get(f"/status/{old}/feed.atom?x=1", allow_redirects=False)

    assert response.status == 301
    assert response.headers["Location"] == "/status/renamed/feed.atom?x=1"
    assert "max-age" in response.headers["Cache-Control"]


async def test_an_old_slug_stays_the_companys_for_ninety_days(
    aiohttp_client: AiohttpClient, settings: Settings, api: Api, owner: Person, company: Company
) -> None:
    # given a company that left its slug for another
    old = str(company.slug)
    await change_slug(api, owner, company, "renamed")
    other = await make_company(owner, name="Other")

    # then no other company may take it meanwhile, but the company may take it back
    assert (await change_slug(api, owner, other, old))["data"]["updateCompany"]["errors"]
    # and 91 days later it no longer redirects, and is free for others
    later = datetime.now(UTC) + timedelta(days=91)
    server = await aiohttp_client(create_app(settings, manage_database=False, clock=lambda: later))
    later_api = Api(server)
    assert (await server.get(f"/status/{old}", allow_redirects=False)).status == 404
    taken = await change_slug(later_api, owner, other, old)
    assert taken["data"]["updateCompany"]["company"]["slug"] == old


async def test_a_company_takes_back_its_own_old_slug(
    api: Api, owner: Person, company: Company
) -> None:
    old = str(company.slug)
    await change_slug(api, owner, company, "renamed")

    back = await change_slug(api, owner, company, old)

    assert back["data"]["updateCompany"]["company"]["slug"] == old
    response = await api.client.get("/status/renamed", allow_redirects=False)
    assert response.headers["Location"] == f"/status/{old}"


async def test_a_private_company_has_no_status_page_url(
    api: Api, owner: Person, private_company: Company
) -> None:
    seen = await api.data(COMPANY_SLUG, {"id": gid("Company", private_company)}, as_=owner)

    assert seen["company"]["slug"] == private_company.slug
    assert seen["company"]["statusPageUrl"] is None


async def test_the_rest_dialects_show_no_slug(api: Api, company: Company) -> None:
    response = await api.client.get(f"/api/companies/{company.id}")

    assert set(await response.json()) == {"id", "name", "created_at", "updated_at"}
