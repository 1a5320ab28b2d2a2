from tortoise import fields
from tortoise.models import Model


class RateLimitHit(Model):
    # One counted attempt (a failed sign-in, an e-mail sent to an address, ...) under a key.
    # A limit counts a key's rows over its window, so every process sees the same counts.
    # Keys are SHA-256 digests: the table holds no addresses, and no password typed into the
    # wrong field.

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    class Meta:
        table = "rate_limit_hits"
        indexes = (("key", "created_at"), ("created_at",))
