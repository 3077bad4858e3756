"""Limits: defaults a public bot can live with, nonsense refused."""

from __future__ import annotations

import pytest

from index.web.limits import Limits


def test_defaults() -> None:
    limits = Limits()
    assert limits.max_page_bytes == 5 * 1024 * 1024 and limits.max_redirects == 5
    assert limits.max_entry_age is None and limits.fetch_seconds == 20.0


@pytest.mark.parametrize(
    "bad",
    [
        {"max_page_bytes": 0},
        {"max_concurrent_fetches": 0},
        {"max_feeds": 0},
        {"max_articles_per_poll": 0},
        {"fetch_seconds": 0},
        {"fetch_seconds": float("nan")},
        {"max_redirects": -1},
        {"max_compression_ratio": 1},
    ],
)
def test_nonsense_is_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Limits(**bad)  # type: ignore[arg-type]
