"""Sending e-mail with aiosmtplib, or writing it to the log when no SMTP server is set."""

import logging
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

log = logging.getLogger("issuetracker.mail")


class MailSender:
    def __init__(self, smtp_url: str | None, timeout: float = 15.0) -> None:
        self.smtp_url = smtp_url
        self.timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        if not self.smtp_url:
            self._log(message)
            return
        parts = urlsplit(self.smtp_url)
        implicit_tls = parts.scheme == "smtps"
        await aiosmtplib.send(
            message,
            hostname=parts.hostname or "localhost",
            port=parts.port or (465 if implicit_tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=implicit_tls,
            start_tls=None if not implicit_tls else False,
            timeout=self.timeout,
        )

    @staticmethod
    def _log(message: EmailMessage) -> None:
        """So a newcomer without an SMTP server can follow every link."""
        text = message.get_body(preferencelist=("plain",))
        log.info(
            "e-mail (no SMTP_URL set, so logged instead of sent)",
            extra={
                "to": message["To"],
                "subject": message["Subject"],
                "text": text.get_content() if text else "",
            },
        )
