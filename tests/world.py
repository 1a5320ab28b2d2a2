"""A world of varied data for the differential tests (the compiled GraphQL path and the REST
objects the database builds, each against its reference): unicode, empty and null fields,
public and private companies (one inviting a guest), closed, deleted and category-less issues,
every part, and people in several time zones."""

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from issuetracker.models import Company, Issue, Membership, Role, Subscription, User
from issuetracker.resolvers.companies.invitations import invite_company_member
from issuetracker.resolvers.issues.participants import accept_invitation, invite_to_issue
from issuetracker.resolvers.issues.parts import PartChanges, add_action_item, add_fact
from issuetracker.resolvers.issues.uploads import ReceivedFile, UploadStore, add_upload
from issuetracker.resolvers.issues.writes import add_issue_event, close_issue, delete_issue
from issuetracker.storage.local import LocalStorage

from .support import Person, anonymous_scope, gid, make_category, make_issue, make_person


@dataclass
class World:
    """Who looks, and the ids worth asking about."""

    people: dict[str, Person]
    ids: dict[str, list[str]] = field(default_factory=dict)
    """Global ids by type, hidden objects among them."""
    database_ids: list[int] = field(default_factory=list)

    def all_ids(self) -> list[str]:
        return [global_id for ids in self.ids.values() for global_id in ids]


async def seeded_world(tmp_path: Path) -> World:
    owner = await make_person("Olive Öwner")
    member = await make_person("Mia Member")
    outsider = await make_person("Otto Outsider")
    guest = await make_person("Gäst 漢字")
    public = await _company(owner, "Public Ltd", public=True, member=member)
    private = await _company(owner, "Private “Ltd”", public=False, member=member)
    network = await make_category(owner, public, "Network")
    printers = await make_category(owner, public, "Printers 🖨")
    secret = await make_category(owner, private, "Secret")
    issues = [
        await make_issue(owner, network, name="Router down", tags=["network", "urgent"]),
        await make_issue(owner, network, printers, name="Both categories", description=""),
        await make_issue(owner, printers, name='Quotes "and" \\ slashes\nnewline'),
        await make_issue(owner, secret, name="Hidden secret", tags=["secret"]),
        await make_issue(owner, network, secret, name="Half hidden"),
        await make_issue(member, name="Kinetic style, no category", tags=["solo"]),
        await make_issue(owner, network, name="Closed one"),
        await make_issue(owner, printers, name="Deleted one"),
        *[await make_issue(owner, network, name=f"Filler {n}") for n in range(6)],
    ]
    await _work_on(issues, owner, member, guest, tmp_path)
    assert guest.user is not None
    await invite_company_member(owner.scope, private.id, guest.user.email, Role.ADMIN)
    await close_issue(owner.scope, issues[6].id, "Fixed it.")
    await delete_issue(owner.scope, issues[7].id)
    await Issue.filter(id=issues[1].id).update(
        external_reference_id="EXT-1", conference_number="+1 555 0100"
    )
    await Subscription.create(email="fan@example.com", issue=issues[0], confirmed_at=_NOON)
    world = World({"owner": owner, "member": member, "outsider": outsider, "guest": guest})
    world.ids = {
        "Issue": [gid("Issue", issue) for issue in issues],
        "Company": [gid("Company", public), gid("Company", private)],
        "Category": [gid("Category", c) for c in (network, printers, secret)],
        "User": [gid("User", person.user) for person in (owner, member, outsider, guest)],
        "Other": ["bm9wZQ", gid("Webhook", issues[0]), "not an id"],
    }
    world.database_ids = [issue.id for issue in issues]
    return world


_NOON = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


async def _company(owner: Person, name: str, *, public: bool, member: Person) -> Company:
    from .support import make_company

    company = await make_company(owner, name=name, public=public)
    assert member.user is not None
    await Membership.create(user=member.user, company=company, role=Role.MEMBER)
    return company


async def _work_on(
    issues: list[Issue], owner: Person, member: Person, guest: Person, tmp_path: Path
) -> None:
    """Events, people, invitations, action items, facts and files on some of the issues."""
    assert owner.user is not None
    assert member.user is not None
    assert guest.user is not None
    first, kinetic = issues[0], issues[5]
    await add_issue_event(owner.scope, first.id, "Still looking. ünïcode")
    invitation = await invite_to_issue(owner.scope, first.id, member.user.email)
    await accept_invitation(anonymous_scope(), invitation.id)
    await invite_to_issue(owner.scope, first.id, "pending@example.com")
    await invite_to_issue(member.scope, kinetic.id, guest.user.email)
    due = date(2026, 6, 1)
    call = PartChanges(description="Call the vendor", assignee_id=member.user.id, due_on=due)
    await add_action_item(owner.scope, first.id, call)
    await add_action_item(owner.scope, first.id, PartChanges(description="Done already", done=True))
    await add_fact(owner.scope, first.id, "It is the cable.")
    await add_fact(member.scope, kinetic.id, "Only on Mondays.")
    store = UploadStore(LocalStorage(tmp_path / "uploads"), max_bytes=1024)
    received = ReceivedFile("log é.txt", "text/plain", io.BytesIO(b"log"))
    await add_upload(owner.scope, first.id, received, store)
    await User.filter(id=guest.user.id).update(
        title="Guest", avatar_url="https://a.example/x", time_zone="Australia/Lord_Howe"
    )
    await User.filter(id=owner.user.id).update(time_zone="America/Chicago")
    await User.filter(id=member.user.id).update(time_zone="Asia/Kolkata")
