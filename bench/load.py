"""Load test of the bot's ask path: many users at once, then the same during a rebuild.

``python -m bench.load [--sentences 100000] [--users 100] [--per-user 10]``

The bot's real ask path (the ``/ask`` cog callback: cooldowns, the library's
thread hand-off, search, rendering of the embed and its buttons) is driven with
the test suite's fake interactions, since SimCord runs one operation at a time
and this needs a hundred at once. Each simulated user asks its questions one
after the other, all users at once. A ticker coroutine measures how late the event
loop wakes up (its lag). The second phase starts a rebuild of the shared
corpus after the first tenth of the questions: every question must still be
answered, from a complete index (old or new). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.corpus import eval_dir, questions, sentence_pool, write_corpus
from bot.ask import AskCog
from bot.cooldowns import Cooldowns
from bot.index_layout import LibraryPaths
from bot.library import Library
from bot.settings import Rate
from tests.bot_fakes import FakeInteraction, FakeUser

REPO = Path(__file__).resolve().parent.parent
TICK = 0.001


@dataclass(frozen=True, slots=True)
class PhaseResult:
    """What one phase measured."""

    name: str
    asked: int
    answered: int
    failed: int
    p50_ms: float
    p99_ms: float
    worst_lag_ms: float
    seconds: float
    rebuild_seconds: float | None


async def ticker(lags: list[float], stop: asyncio.Event) -> None:
    """Record how late each 1 ms sleep wakes up."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(TICK)
        lags.append(time.perf_counter() - started - TICK)


@dataclass
class FakeBot:
    """The one attribute of the bot the ask cog reads."""

    user: FakeUser


async def user_asks(
    cog: AskCog, user: FakeUser, asks: list[str], latencies: list[float]
) -> tuple[int, int]:
    """One user's questions in turn: (answered, failed)."""
    answered = failed = 0
    callback: Any = cog.ask.callback
    for question in asks:
        interaction = FakeInteraction(user, guild_id=1, channel_id=10)
        started = time.perf_counter()
        try:
            await callback(cog, interaction, question[:300], 5, None, False)
        except Exception:  # a failure is what this test counts
            failed += 1
            continue
        latencies.append(time.perf_counter() - started)
        reply = interaction.sent[-1]
        ok = reply.embed is not None or "found nothing" in (reply.content or "")
        answered, failed = answered + ok, failed + (not ok)
    return answered, failed


async def phase(cog: AskCog, name: str, plan: list[list[str]], rebuild: bool) -> PhaseResult:
    """Every user asks its questions at once; optionally a rebuild starts early on."""
    users = [FakeUser(1000 + n) for n in range(len(plan))]
    latencies: list[float] = []
    lags: list[float] = []
    stop = asyncio.Event()
    lag_task = asyncio.create_task(ticker(lags, stop))
    started = time.perf_counter()
    rebuild_task = (
        asyncio.create_task(_rebuild_later(cog.library, latencies, len(plan))) if rebuild else None
    )
    outcomes = await asyncio.gather(
        *(user_asks(cog, user, asks, latencies) for user, asks in zip(users, plan, strict=True))
    )
    rebuild_seconds = await rebuild_task if rebuild_task else None
    seconds = time.perf_counter() - started
    stop.set()
    await lag_task
    ms = np.array(latencies) * 1000
    return PhaseResult(
        name=name,
        asked=sum(len(asks) for asks in plan),
        answered=sum(a for a, _ in outcomes),
        failed=sum(f for _, f in outcomes),
        p50_ms=float(np.percentile(ms, 50)),
        p99_ms=float(np.percentile(ms, 99)),
        worst_lag_ms=max(lags) * 1000,
        seconds=seconds,
        rebuild_seconds=rebuild_seconds,
    )


async def _rebuild_later(library: Library, latencies: list[float], users: int) -> float:
    while len(latencies) < users:  # a tenth of the questions at 10 per user
        await asyncio.sleep(0.005)
    started = time.perf_counter()
    await library.rebuild_shared()
    return time.perf_counter() - started


def make_cog(corpus: Path, data: Path) -> AskCog:
    """The real ask cog over ``corpus``; cooldowns out of the way (this is load, not flooding)."""
    paths = LibraryPaths(corpus, data / "index", data / "collections", data / "guild-index")
    generous = Rate(1_000_000, 1.0)
    bot: Any = FakeBot(FakeUser(1, bot=True))
    return AskCog(bot, Library(paths), Cooldowns(generous, generous))


async def run(args: argparse.Namespace) -> list[PhaseResult]:
    """Prepare the corpus and index, then run both phases."""
    shared = eval_dir(REPO)
    work = Path(args.out) / f"load-{args.sentences}"
    write_corpus(
        sentence_pool(shared / "squad-dev-articles.jsonl"), args.sentences, work / "corpus"
    )
    pool = questions(shared / "squad-dev-questions.jsonl", 2_000)
    rng = random.Random(9)
    plans = [
        [[rng.choice(pool) for _ in range(args.per_user)] for _ in range(args.users)] for _ in "ab"
    ]
    cog = make_cog(work / "corpus", work / "data")
    started = time.perf_counter()
    await cog.library.current(None)
    print(f"index ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    steady = await phase(cog, "steady", plans[0], rebuild=False)
    during = await phase(cog, "rebuild", plans[1], rebuild=True)
    return [steady, during]


def report(results: list[PhaseResult], sentences: int) -> str:
    """A Markdown table of the phases."""
    lines = [
        f"Load on a {sentences:,}-sentence index:",
        "",
        "| phase | asked | answered | failed | p50 ms | p99 ms | worst loop lag ms | wall s "
        "| rebuild s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        rebuild = f"{r.rebuild_seconds:.1f}" if r.rebuild_seconds is not None else "-"
        lines.append(
            f"| {r.name} | {r.asked} | {r.answered} | {r.failed} | {r.p50_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.worst_lag_ms:.1f} | {r.seconds:.1f} | {rebuild} |"
        )
    return "\n".join(lines)


def main() -> int:
    """Run the load test and print its table; exit 1 if any question failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--out", default=str(REPO / "bench" / "out"))
    args = parser.parse_args()
    if not (eval_dir(REPO) / "squad-dev-articles.jsonl").exists():
        print(f"needs the eval data in {eval_dir(REPO)}", file=sys.stderr)
        return 2
    results = asyncio.run(run(args))
    print(report(results, args.sentences))
    return 1 if any(r.failed or r.answered != r.asked for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
