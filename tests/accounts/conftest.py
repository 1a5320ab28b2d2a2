"""Account flows over HTTP with a real SMTP server: the notification tests' SMTP server, clock
and dispatcher, and an app that reads the same clock, so a test moves time for the links and
the limits as it does for the dispatcher."""

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from issuetracker.server import create_app
from issuetracker.settings import Settings

from ..databases import TEST_DATABASE_URL
from ..notifications.conftest import Clock, SmtpServer, clock, dispatcher, smtp

__all__ = ["clock", "dispatcher", "smtp"]


def account_settings(smtp: SmtpServer, **changes: object) -> Settings:
    """Small limits, so tests reach them in a few requests; one trusted proxy, so each request
    may say which client it comes from (`X-Forwarded-For`)."""
    values: dict[str, object] = {
        "environment": "test",
        "database_url": TEST_DATABASE_URL,
        "public_url": "http://testserver",
        "smtp_url": smtp.url,
        "trusted_proxy_count": 1,
        "login_failures_per_address": 3,
        "login_failures_per_address_ceiling": 6,
        "login_failures_per_client": 5,
        "login_failure_window_minutes": 15,
        "account_requests_per_client": 6,
        "account_emails_per_address": 3,
        "account_window_minutes": 60,
        "password_reset_link_minutes": 60,
        "invitation_link_days": 7,
        "password_hashing": "cheapest",
        # Answers then carry no budget left, which would differ between requests.
        "graphql_hourly_budget": 0,
        "_env_file": None,
    }
    return Settings(**{**values, **changes})  # type: ignore[arg-type]


@pytest.fixture
def settings(smtp: SmtpServer) -> Settings:
    return account_settings(smtp)


@pytest.fixture
async def client(
    aiohttp_client: AiohttpClient, database: None, settings: Settings, clock: Clock
) -> TestClient:
    return await aiohttp_client(create_app(settings, manage_database=False, clock=clock))
