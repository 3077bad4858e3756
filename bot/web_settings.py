"""The settings of adding by link and following feeds, read by the one settings loader.

Part of the settings edge (:mod:`bot.settings` calls :func:`web_settings`); nothing
else reads these variables. ``QABOT_ALLOW_LOOPBACK_URLS`` is shared with the command
line (``qabot add``, ``qabot feed poll``), so it is declared there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from index import WebLimits as Limits
from index.cli import ALLOW_LOOPBACK, LoadedSettings, Setting, SettingsError

_DEFAULT = Limits()
POLL_MINUTES = Setting("QABOT_FEED_POLL_MINUTES", "minutes between feed polls (0: never)", "30")
MAX_PAGE_BYTES = Setting(
    "QABOT_MAX_PAGE_BYTES", "largest page fetched", str(_DEFAULT.max_page_bytes)
)
FETCH_SECONDS = Setting("QABOT_FETCH_SECONDS", "time for one fetch", f"{_DEFAULT.fetch_seconds:g}")
MAX_CONCURRENT = Setting(
    "QABOT_MAX_CONCURRENT_FETCHES", "fetches at once", str(_DEFAULT.max_concurrent_fetches)
)
MAX_FEEDS = Setting("QABOT_MAX_FEEDS", "feeds per server", str(_DEFAULT.max_feeds))
MAX_ARTICLES = Setting(
    "QABOT_MAX_ARTICLES_PER_POLL", "articles one poll adds", str(_DEFAULT.max_articles_per_poll)
)
MAX_AGE_DAYS = Setting("QABOT_MAX_ENTRY_AGE_DAYS", "skip older feed entries (0: keep all)", "0")
WEB_SETTINGS = (
    ALLOW_LOOPBACK,
    POLL_MINUTES,
    MAX_PAGE_BYTES,
    FETCH_SECONDS,
    MAX_CONCURRENT,
    MAX_FEEDS,
    MAX_ARTICLES,
    MAX_AGE_DAYS,
)


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the bot reaches the web. ``feed_poll_minutes`` 0 turns the feed poller off."""

    allow_loopback_urls: bool = False
    feed_poll_minutes: float = 30.0
    limits: Limits = Limits()


def web_settings(loaded: LoadedSettings) -> WebSettings:
    """The checked web settings; raises :class:`SettingsError` naming a bad one."""
    age = _number(loaded, MAX_AGE_DAYS)
    try:
        limits = Limits(
            max_page_bytes=int(_number(loaded, MAX_PAGE_BYTES, 1)),
            fetch_seconds=_number(loaded, FETCH_SECONDS, 0.1),
            max_concurrent_fetches=int(_number(loaded, MAX_CONCURRENT, 1)),
            max_feeds=int(_number(loaded, MAX_FEEDS, 1)),
            max_articles_per_poll=int(_number(loaded, MAX_ARTICLES, 1)),
            max_entry_age=timedelta(days=age) if age else None,
        )
    except ValueError as error:
        raise SettingsError(str(error)) from None
    return WebSettings(
        allow_loopback_urls=loaded.flag(ALLOW_LOOPBACK),
        feed_poll_minutes=_number(loaded, POLL_MINUTES),
        limits=limits,
    )


def _number(loaded: LoadedSettings, setting: Setting, minimum: float = 0.0) -> float:
    text = loaded.text(setting) or setting.default or "0"
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < minimum:
        raise SettingsError(
            f"{setting.env} must be a number of at least {minimum:g}, not {text!r} "
            f"(from {loaded.origin(setting)})"
        )
    return number
