"""A text column kept encrypted (`encryption.py`): the model holds the plain value, the
database only its AES-GCM encryption, so a copy of the database shows no secret."""

from typing import Any

from tortoise import fields

from .. import encryption


class EncryptedTextField(fields.CharField):  # type: ignore[type-arg]
    """Encrypted on the way in, decrypted on the way out. Each write makes a new nonce, so
    the column cannot be filtered on; nothing needs to."""

    def __init__(self, purpose: str, **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(max_length=255, **kwargs)

    def to_db_value(self, value: Any, instance: Any) -> Any:
        if value is None:
            return None
        return encryption.encrypt(str(value), self.purpose)

    def to_python_value(self, value: Any) -> Any:
        if value is None or not encryption.is_encrypted(value):
            return value  # a plain value set on the model, not yet saved
        return encryption.decrypt(value, self.purpose)
