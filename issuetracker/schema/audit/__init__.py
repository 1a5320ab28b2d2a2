"""The audit log's GraphQL types: read through `Company.auditLog` and `Viewer.auditLog`."""
