"""The web settings: defaults, values from the environment, nonsense refused by name."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.settings import Settings
from bot.web_settings import WebSettings
from index.errors import SettingsError


def test_defaults_are_safe_for_a_public_bot() -> None:
    web = Settings.from_env({}).web
    assert web == WebSettings()
    assert not web.allow_loopback_urls and web.feed_poll_minutes == 30.0
    assert web.limits.max_feeds == 20 and web.limits.max_entry_age is None


def test_values_from_the_environment() -> None:
    web = Settings.from_env(
        {
            "QABOT_ALLOW_LOOPBACK_URLS": "1",
            "QABOT_FEED_POLL_MINUTES": "5",
            "QABOT_MAX_PAGE_BYTES": "1000000",
            "QABOT_FETCH_SECONDS": "7.5",
            "QABOT_MAX_CONCURRENT_FETCHES": "2",
            "QABOT_MAX_FEEDS": "3",
            "QABOT_MAX_ARTICLES_PER_POLL": "4",
            "QABOT_MAX_ENTRY_AGE_DAYS": "2",
        }
    ).web
    assert web.allow_loopback_urls and web.feed_poll_minutes == 5.0
    limits = web.limits
    assert (limits.max_page_bytes, limits.fetch_seconds, limits.max_concurrent_fetches) == (
        1_000_000,
        7.5,
        2,
    )
    assert (limits.max_feeds, limits.max_articles_per_poll) == (3, 4)
    assert limits.max_entry_age == timedelta(days=2)


def test_polling_can_be_switched_off() -> None:
    assert Settings.from_env({"QABOT_FEED_POLL_MINUTES": "0"}).web.feed_poll_minutes == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("QABOT_ALLOW_LOOPBACK_URLS", "maybe"),
        ("QABOT_FEED_POLL_MINUTES", "-1"),
        ("QABOT_FEED_POLL_MINUTES", "nan"),
        ("QABOT_MAX_PAGE_BYTES", "lots"),
        ("QABOT_MAX_FEEDS", "0"),
        ("QABOT_FETCH_SECONDS", "inf"),
        ("QABOT_MAX_ENTRY_AGE_DAYS", "-3"),
    ],
)
def test_nonsense_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})
