"""The object types the compiled path covers, field by field, in the schema's terms: one
module per domain (`people`, `companies`, `issues`), over the field builders of `fields` and
`related`. Importing this package defines them all in `fields.TYPES`."""

from ..fields import TYPES
from . import companies, issues, people

__all__ = ["EXECUTOR_ONLY", "TYPES", "companies", "issues", "people"]

PENDING_BY_CLOCK = (
    "which invitations still wait depends on the request's clock (their expiry), which "
    "compiled statements do not bind"
)
EXECUTOR_ONLY: dict[str, str] = {
    "Viewer.companyInvitations": PENDING_BY_CLOCK,
    "Company.invitations": PENDING_BY_CLOCK,
    "ApiToken.companies": "a rarely asked list, kept as JSON on the token's row",
    "Company.auditLog": "read by the executor: its rows are for owners and admins only",
    "Viewer.auditLog": "read by the executor, a page of the viewer's own entries",
    "Issue.webhookSecret": (
        "it is kept encrypted under ENCRYPTION_KEYS, which the database does not hold"
    ),
    "IssueUpload.downloadUrl": (
        "its signature is an HMAC under SECRET_KEY, which the database cannot compute"
    ),
}
"""The fields of the types above that the executor answers (with the root field holding
them), and why. Every other field of these types has its SQL in `types/`."""
