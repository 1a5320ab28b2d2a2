"""The pages where e-mailed links land, tested as the notification tests are: with their SMTP
server, webhook receiver, clock, dispatcher and settings."""

from ..notifications.conftest import clock, dispatcher, receiver, settings, smtp

__all__ = ["clock", "dispatcher", "receiver", "settings", "smtp"]
