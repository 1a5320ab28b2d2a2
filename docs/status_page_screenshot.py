"""Takes docs/status-page.png, the README's picture of a status page: a company made through the
server's logic in a temporary SQLite database, served by `server.py`, shown in headless Chromium
(Debian's `chromium`, as the browser tests drive it).

    python docs/status_page_screenshot.py
"""

import asyncio
import base64
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import free_port, serve, stop  # noqa: E402
from issuetracker import db  # noqa: E402
from issuetracker.clock import utcnow  # noqa: E402
from issuetracker.models import Severity  # noqa: E402
from issuetracker.resolvers.accounts.users import create_verified_user  # noqa: E402
from issuetracker.resolvers.companies import categories, companies  # noqa: E402
from issuetracker.resolvers.companies.companies import CompanyChanges  # noqa: E402
from issuetracker.resolvers.core.actor import Actor  # noqa: E402
from issuetracker.resolvers.core.scope import Policy, Scope  # noqa: E402
from issuetracker.resolvers.issues import writes  # noqa: E402
from issuetracker.resolvers.issues.inputs import IssueDraft  # noqa: E402
from issuetracker.settings import Settings  # noqa: E402
from tests.chromium import open_page  # noqa: E402

PICTURE = ROOT / "docs" / "status-page.png"
ISSUES = [
    ("Network", "VPN drops every few minutes", Severity.CRITICAL, "Staff at home lose the VPN."),
    ("Network", "Slow Wi-Fi in meeting rooms", Severity.IMPORTANT, "Video calls stutter."),
    ("Email", "Delayed incoming mail", Severity.INFO, "Some messages arrive late."),
    ("Printers", "Floor 2 printer jams", Severity.INFO, "Paper jams on tray 2."),
]


async def seed() -> None:
    user = await create_verified_user("ada@example.com", "Ada", None, utcnow())
    scope = Scope(Actor(user), utcnow(), Policy.from_settings(Settings(_env_file=None)))
    company = await companies.create_company(scope, CompanyChanges(name="ConnectNow"))
    made = {
        name: await categories.create_category(scope, company.id, name)
        for name in ("Email", "Network", "Printers")
    }
    for category, name, severity, description in ISSUES:
        draft = IssueDraft(name, description, severity.value, category_ids=[made[category].id])
        issue = await writes.create_issue(scope, draft)
        await writes.add_issue_event(scope, issue.id, "We are looking into it.")
    draft = IssueDraft(
        "Calendar sync fails", "Invites do not arrive.", "important", [made["Email"].id]
    )
    fixed = await writes.create_issue(scope, draft)
    await writes.close_issue(scope, fixed.id, "The connector was restarted.")


async def main() -> None:
    database_url = f"sqlite://{tempfile.mkdtemp()}/screenshot.sqlite3"
    await db.apply_migrations(database_url)
    await db.open_database(database_url)
    try:
        await seed()
    finally:
        await db.close_database()
    port = free_port()
    server = await serve(database_url, port)
    try:
        async with open_page("about:blank") as page:
            metrics = {"width": 900, "height": 1200, "deviceScaleFactor": 1, "mobile": False}
            await page.send("Emulation.setDeviceMetricsOverride", **metrics)
            await page.send("Page.navigate", url=f"http://127.0.0.1:{port}/status/connectnow")
            await page.wait_for("document.readyState === 'complete'")
            height = await page.evaluate("document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": 900, "height": height, "scale": 1}
            shot = await page.send(
                "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
            )
    finally:
        await stop(server)
    PICTURE.write_bytes(base64.b64decode(shot["data"]))
    print(f"wrote {PICTURE}")


if __name__ == "__main__":
    asyncio.run(main())
