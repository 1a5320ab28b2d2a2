"""What each command does, once its settings are read."""

import sys
from pathlib import Path

from .. import db, encryption
from ..clock import utcnow
from ..configuration import ConfigurationError
from ..resolvers.accounts.tokens import issue_token
from ..resolvers.accounts.users import create_verified_user
from ..resolvers.clients.registered_documents import register_document
from ..resolvers.core.errors import ValidationFailed
from ..resolvers.core.scope import Policy, Scope
from ..schema import build_schema, limit_rules
from ..schema.documents import Documents, Refused
from ..settings import Settings


async def create_user(settings: Settings, email: str, name: str, password: str | None) -> int:
    await _open_database(settings)
    scope = Scope.anonymous(utcnow(), Policy.from_settings(settings))
    try:
        user = await create_verified_user(scope, email, name, password)
        issued = await issue_token(scope, user, "command line", lifetime=None)
    except ValidationFailed as invalid:
        for field, messages in invalid.by_field().items():
            print(f"{field}: {' '.join(messages)}", file=sys.stderr)
        return 1
    finally:
        await db.close_database()
    print(f"Created user {user.email} (id {user.id}, guid {user.guid}). API token:")
    print(issued.secret)
    return 0


def documents_under(settings: Settings, folder: Path) -> dict[Path, str] | None:
    """The `.graphql` files under the folder, by path; None (each error printed) if any of
    them does not validate against the schema and its limits. A missing folder, or one without
    a document, is a ConfigurationError: registering nothing is surely a mistake."""
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ConfigurationError([f"register-documents: {folder} {problem}"])
    paths = sorted(folder.rglob("*.graphql"))
    if not paths:
        raise ConfigurationError([f"register-documents: no .graphql file under {folder}"])
    documents = Documents(build_schema(settings, [])._schema, limit_rules(settings), 10**6)
    sources = {path: path.read_text() for path in paths}
    valid = True
    for path, source in sources.items():
        document = documents.get(source)
        if isinstance(document, Refused):
            valid = False
            for error in document.errors:
                print(f"{path}: {error.message}", file=sys.stderr)
    return sources if valid else None


async def register_documents(settings: Settings, sources: dict[Path, str]) -> int:
    await _open_database(settings)
    try:
        for path, source in sources.items():
            sha256 = await register_document(source, path.stem, utcnow())
            print(f"{sha256}  {path}")
    finally:
        await db.close_database()
    return 0


async def _open_database(settings: Settings) -> None:
    encryption.install_for(settings)
    if settings.should_migrate_on_start:
        await db.apply_migrations(settings.database_url)
    await db.open_database(settings.database_url)
