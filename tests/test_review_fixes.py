"""Rules tightened in review: digits that only look like digits, deleted issues, who may send
invitations, and how long a search may be."""

from aiohttp.test_utils import TestClient

from issuetracker.clock import utcnow
from issuetracker.models import Issue

from .support import Api, Person, error_codes, gid, make_category, make_company, make_issue

ISSUES = """query($filter: IssueFilterInput) { issues(filter: $filter) { nodes { name } } }"""


async def test_non_ascii_digits_in_paths_and_tokens_name_nothing(
    client: TestClient, api: Api, owner: Person
) -> None:
    # given ids and tokens written with a superscript two, which str.isdigit() accepts
    superscript = "\u00b2"

    # when they reach the pages, the REST paths and the token mutations
    invitation = await client.get(f"/invitations/{superscript}/accept")
    subscription = await client.get(f"/subscriptions/{superscript}/confirm")
    connectnow = await client.get(f"/api/issues/{superscript}", headers=owner.headers)
    verified = await api.graphql(
        "mutation($token: String!) { verifyEmail(input: {token: $token}) { errors { code } } }",
        {"token": f"abc.{superscript}.sig"},
    )

    # then each is refused as naming nothing, never answered with a server error
    assert invitation.status == 404
    assert subscription.status == 404
    assert connectnow.status == 404
    assert "errors" not in verified
    assert verified["data"]["verifyEmail"]["errors"] == [{"code": "INVALID_TOKEN"}]


async def test_deleted_issues_are_listed_only_to_the_people_taking_part(
    api: Api, owner: Person, member: Person, outsider: Person, anonymous: Person
) -> None:
    # given a deleted issue in a public company's category
    company = await make_company(owner, public=True)
    issue = await make_issue(owner, await make_category(owner, company), name="Old news")
    await Issue.filter(id=issue.id).update(deleted_at=utcnow())
    wanted = {"filter": {"deleted": True}}

    # when people ask for deleted issues
    seen = {
        person: (await api.data(ISSUES, wanted, as_=person))["issues"]["nodes"]
        for person in (owner, outsider, anonymous)
    }

    # then only the owner, who takes part, sees it
    assert seen[owner] == [{"name": "Old news"}]
    assert seen[outsider] == []
    assert seen[anonymous] == []


async def test_an_unverified_user_may_not_invite_anyone_to_an_issue(
    api: Api, owner: Person
) -> None:
    # given an issue owned by someone whose address is not verified
    issue = await make_issue(owner)
    assert owner.user is not None
    owner.user.email_verified_at = None
    await owner.user.save(update_fields=["email_verified_at"])

    # when they invite a stranger
    body = await api.graphql(
        """mutation($input: InviteToIssueInput!) {
             inviteToIssue(input: $input) { invitation { email } errors { code } } }""",
        {"input": {"issueId": gid("Issue", issue), "email": "stranger@example.com"}},
        as_=owner,
    )

    # then they are refused, and nothing is sent
    assert error_codes(body) == ["FORBIDDEN"]


async def test_a_graphql_search_longer_than_the_limit_is_refused(api: Api, owner: Person) -> None:
    # when a search is longer than 255 characters
    body = await api.graphql(ISSUES, {"filter": {"search": "x" * 256}}, as_=owner)

    # then it is refused as invalid input
    assert error_codes(body) == ["BAD_USER_INPUT"]
