"""Cooldowns: per user and per channel, on an injected clock."""

from __future__ import annotations

from bot.cooldowns import Cooldowns, Refusal, Window
from bot.settings import Rate


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_window_allows_count_uses_then_waits() -> None:
    clock = Clock()
    window = Window(Rate(2, 10.0), clock)
    window.use(1)
    window.use(1)
    assert window.retry_after(1) == 10.0
    assert window.retry_after(2) == 0.0
    clock.now += 10.0
    assert window.retry_after(1) == 0.0


def test_the_user_limit_refuses_a_fast_asker_only() -> None:
    clock = Clock()
    cooldowns = Cooldowns(Rate(1, 30.0), Rate(10, 60.0), clock)
    assert cooldowns.check(1, 50) is None
    refusal = cooldowns.check(1, 50)
    assert refusal == Refusal("user", 30.0)
    assert cooldowns.check(2, 50) is None


def test_the_channel_limit_covers_everyone_in_it() -> None:
    cooldowns = Cooldowns(Rate(5, 30.0), Rate(2, 60.0), Clock())
    assert cooldowns.check(1, 50) is None and cooldowns.check(2, 50) is None
    refusal = cooldowns.check(3, 50)
    assert refusal is not None and refusal.scope == "channel"
    assert cooldowns.check(3, 51) is None


def test_a_refused_question_is_not_counted() -> None:
    clock = Clock()
    cooldowns = Cooldowns(Rate(1, 10.0), Rate(10, 60.0), clock)
    cooldowns.check(1, 50)
    clock.now += 5
    assert cooldowns.check(1, 50) is not None
    clock.now += 5
    assert cooldowns.check(1, 50) is None


def test_the_message_is_friendly_and_says_when() -> None:
    assert Refusal("user", 12.4).message().startswith("Slow down")
    assert "12 s" in Refusal("user", 12.4).message()
    assert "this channel" in Refusal("channel", 3).message()
