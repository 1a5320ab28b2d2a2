"""Measures a public status page with wrk: a company with 200 open issues (and 20 resolved this
week), viewed by anonymous readers.

    python -m bench.status_page [--open 200] [--history 0] [--seconds 10] [--connections 32]

Uses BENCH_DATABASE_URL (default: a temporary SQLite file), seeds the company through the
server's own logic once (`--history` adds that many issues resolved long ago, for a run at 10x
the data), starts `server.py serve` in its own process, checks the page, then runs
`wrk -t2 -c<connections> -d<seconds>s --latency` against it and prints wrk's report.
"""

import argparse
import asyncio
import os
import shutil
import tempfile
import uuid
from datetime import timedelta

from aiohttp import ClientSession

from bench.server import free_port, serve, stop
from issuetracker import db
from issuetracker.clock import utcnow
from issuetracker.models import Company, Issue, IssueCategory, IssueStatus, Severity
from issuetracker.resolvers.accounts.users import create_verified_user
from issuetracker.resolvers.companies import categories, companies
from issuetracker.resolvers.companies.companies import CompanyChanges
from issuetracker.resolvers.core.actor import Actor
from issuetracker.resolvers.core.scope import Policy, Scope
from issuetracker.resolvers.issues import writes
from issuetracker.resolvers.issues.inputs import IssueDraft
from issuetracker.settings import Settings

SLUG = "status-bench"
CATEGORIES = ["Network", "Printers", "Telephones", "Email", "Building"]


async def seed(open_count: int, history: int) -> None:
    """Through the logic, as people would: issues with a description (their first event) and a
    note each; the old resolved ones in bulk."""
    user = await create_verified_user("bench@example.com", "Bench", None, utcnow())
    scope = Scope(Actor(user), utcnow(), Policy.from_settings(Settings(_env_file=None)))
    company = await companies.create_company(scope, CompanyChanges(name="Status Bench"))
    made = [await categories.create_category(scope, company.id, name) for name in CATEGORIES]
    severities = list(Severity)
    for number in range(open_count + 20):
        draft = IssueDraft(
            name=f"Issue {number}: something is slow",
            description="Seen by several people; we are looking into it.",
            severity=severities[number % 3].value,
            category_ids=[made[number % len(made)].id],
        )
        issue = await writes.create_issue(scope, draft)
        await writes.add_issue_event(scope, issue.id, "An update on the investigation.")
        if number >= open_count:
            await writes.close_issue(scope, issue.id, "Fixed.")
    await _old_resolved_issues(history, made[0].id)


async def _old_resolved_issues(count: int, category_id: int) -> None:
    long_ago = utcnow() - timedelta(days=60)
    rows = [
        Issue(
            guid=uuid.uuid4(),
            name=f"Old issue {number}",
            status=IssueStatus.CLOSED,
            closed_at=long_ago,
        )
        for number in range(count)
    ]
    await Issue.bulk_create(rows, batch_size=1000)
    ids = await Issue.filter(name__startswith="Old issue ").values_list("id", flat=True)
    links = [IssueCategory(issue_id=issue_id, category_id=category_id) for issue_id in ids]
    await IssueCategory.bulk_create(links, batch_size=1000)


async def main(args: argparse.Namespace) -> None:
    database_url = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
    )
    await db.apply_migrations(database_url)
    await db.open_database(database_url)
    try:
        if not await Company.exists(slug=SLUG):
            await seed(args.open, args.history)
        open_issues = await Issue.filter(status=IssueStatus.OPEN, name__startswith="Issue ").count()
    finally:
        await db.close_database()
    port = args.port or free_port()
    server = await serve(database_url, port, log_level=args.log_level)
    url = f"http://127.0.0.1:{port}/status/{SLUG}"
    try:
        async with ClientSession() as session, session.get(url) as response:
            assert response.status == 200, response.status
            size = len(await response.read())
        print(f"database: {database_url.split('@')[-1]}; {open_issues} open issues; {size} bytes")
        command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s"]
        command += ["--latency", url]
        print("$", " ".join(command))
        wrk = await asyncio.create_subprocess_exec(*command)
        await wrk.wait()
    finally:
        await stop(server)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=200)
    parser.add_argument("--history", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    asyncio.run(main(parser.parse_args()))
