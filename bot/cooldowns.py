"""Rate limits for questions: per user and per channel, sliding windows.

The clock is injected so tests can move time without sleeping.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.settings import Rate


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a question was refused and when the asker may try again."""

    scope: str
    retry_after: float

    def message(self) -> str:
        """The friendly reply for the asker."""
        who = "you are" if self.scope == "user" else "this channel is"
        return (
            f"Slow down a little: {who} asking faster than I can answer well. "
            f"Try again in {max(1, round(self.retry_after))} s."
        )


class Window:
    """At most ``rate.count`` uses per key within ``rate.seconds``."""

    def __init__(self, rate: Rate, clock: Callable[[], float]) -> None:
        self.rate = rate
        self._clock = clock
        self._uses: dict[int, deque[float]] = {}

    def retry_after(self, key: int) -> float:
        """Seconds until ``key`` may be used again (0 when it may now)."""
        uses = self._fresh(key)
        if len(uses) < self.rate.count:
            return 0.0
        return uses[0] + self.rate.seconds - self._clock()

    def use(self, key: int) -> None:
        """Record one use of ``key`` now."""
        self._fresh(key).append(self._clock())

    def _fresh(self, key: int) -> deque[float]:
        uses = self._uses.setdefault(key, deque())
        cutoff = self._clock() - self.rate.seconds
        while uses and uses[0] <= cutoff:
            uses.popleft()
        return uses


class Cooldowns:
    """The per-user and per-channel limits together: both must allow a question."""

    def __init__(
        self, user: Rate, channel: Rate, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._user = Window(user, clock)
        self._channel = Window(channel, clock)

    def check(self, user_id: int, channel_id: int) -> Refusal | None:
        """Count the question when allowed; otherwise say why not, counting nothing."""
        user_wait = self._user.retry_after(user_id)
        if user_wait > 0:
            return Refusal("user", user_wait)
        channel_wait = self._channel.retry_after(channel_id)
        if channel_wait > 0:
            return Refusal("channel", channel_wait)
        self._user.use(user_id)
        self._channel.use(channel_id)
        return None
