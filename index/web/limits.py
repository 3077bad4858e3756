"""The limits every fetch and poll honours, with defaults a public bot can live with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on what one fetch or one poll may cost; set only at the edges (CLI, settings).

    ``max_entry_age``: feed entries published longer ago than this are skipped
    (``None`` keeps them all). ``max_feeds`` counts per collection (one server's or
    the shared corpus's).
    """

    max_page_bytes: int = 5 * 1024 * 1024
    fetch_seconds: float = 20.0
    max_concurrent_fetches: int = 4
    max_feeds: int = 20
    max_articles_per_poll: int = 25
    max_entry_age: timedelta | None = None
    max_redirects: int = 5
    max_compression_ratio: int = 100

    def __post_init__(self) -> None:
        for name in ("max_page_bytes", "max_concurrent_fetches", "max_feeds"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_articles_per_poll < 1 or self.max_compression_ratio < 2:
            raise ValueError("max_articles_per_poll must be >= 1 and max_compression_ratio >= 2")
        if not self.fetch_seconds > 0 or self.max_redirects < 0:
            raise ValueError("fetch_seconds must be positive and max_redirects not negative")
