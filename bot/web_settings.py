"""The settings of adding by link and following feeds, read from the environment.

Part of the settings edge (:mod:`bot.settings` calls :func:`web_settings`);
nothing else reads these variables.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from index import WebLimits as Limits

Get = Callable[[str], str | None]
LOOPBACK_ENV = "QABOT_ALLOW_LOOPBACK_URLS"
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class WebSettingsError(ValueError):
    """A web setting has a value the bot cannot use; the message names the variable."""


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the bot reaches the web. ``feed_poll_minutes`` 0 turns the feed poller off."""

    allow_loopback_urls: bool = False
    feed_poll_minutes: float = 30.0
    limits: Limits = Limits()


def web_settings(get: Get) -> WebSettings:
    """:class:`WebSettings` from ``get`` (a variable's value, or ``None`` when unset)."""
    default = Limits()
    age = _number(get, "QABOT_MAX_ENTRY_AGE_DAYS", 0.0)
    try:
        limits = Limits(
            max_page_bytes=int(_number(get, "QABOT_MAX_PAGE_BYTES", default.max_page_bytes, 1)),
            fetch_seconds=_number(get, "QABOT_FETCH_SECONDS", default.fetch_seconds, 0.1),
            max_concurrent_fetches=int(
                _number(get, "QABOT_MAX_CONCURRENT_FETCHES", default.max_concurrent_fetches, 1)
            ),
            max_feeds=int(_number(get, "QABOT_MAX_FEEDS", default.max_feeds, 1)),
            max_articles_per_poll=int(
                _number(get, "QABOT_MAX_ARTICLES_PER_POLL", default.max_articles_per_poll, 1)
            ),
            max_entry_age=timedelta(days=age) if age else None,
        )
    except ValueError as error:
        raise WebSettingsError(str(error)) from None
    return WebSettings(
        allow_loopback_urls=_flag(get, LOOPBACK_ENV),
        feed_poll_minutes=_number(get, "QABOT_FEED_POLL_MINUTES", 30.0),
        limits=limits,
    )


def _flag(get: Get, name: str) -> bool:
    value = (get(name) or "0").strip().lower()
    if value not in _TRUE + _FALSE:
        raise WebSettingsError(f"{name} must be 1 or 0, not {value!r}")
    return value in _TRUE


def _number(get: Get, name: str, default: float, minimum: float = 0.0) -> float:
    value = get(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < minimum:
        raise WebSettingsError(f"{name} must be a number of at least {minimum:g}, not {value!r}")
    return number
