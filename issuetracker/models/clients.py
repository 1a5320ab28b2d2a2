from tortoise import fields
from tortoise.models import Model


class ClientBudget(Model):
    # The cost points a client (an API token, or an anonymous address) spent in one hour.
    # Keys are SHA-256 digests, like the rate limits' keys: the table holds no addresses.

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=64)
    window_start = fields.DatetimeField()
    spent = fields.BigIntField(default=0)

    class Meta:
        table = "client_budgets"
        unique_together = (("key", "window_start"),)
        indexes = (("window_start",),)


class RegisteredDocument(Model):
    # A GraphQL document registered by its SHA-256 hash (`server.py register-documents`): found
    # by every process for persisted queries, and the only ones run when
    # PERSISTED_QUERIES_ONLY is set.

    sha256 = fields.CharField(max_length=64, primary_key=True)
    document = fields.TextField()
    name = fields.CharField(max_length=255, default="")
    registered_at = fields.DatetimeField()

    class Meta:
        table = "registered_documents"
