"""A shared corpus and many servers with documents of their own, through the bot's library.

    .venv/bin/python -m bench.servers bench/out/1000000 [--servers 1000] [--articles 10]
        [--questions 300] [--adds 5] [--rebuild]

``DIR`` is a bench size folder (``python -m bench.run`` builds its shared index).
Each server gets a collection of ``--articles`` generated articles (25 sentences
each, from the same sentence pool as the shared corpus, another seed per server),
and the library (``bot.library.Library``, as the bot runs it) builds one small
index per server beside the shared one. Measured, one JSON object per step:

- ``build``: time to build every server's index (once, in a process of its own);
- ``disk``: the shared index, all server indexes, and what a copy of the shared
  corpus per server (the former layout) would take;
- ``memory``: resident and private memory of this process with the shared index
  alone, then with every server loaded, then after a question in every server;
- ``latency``: full answers (k=5) for the same questions, asked in a server with
  its own collection and in a direct message (shared only), p50/p95, best of 3;
- ``add``: adding one article to a server, until it can answer and until saved;
- ``rebuild`` (with ``--rebuild``): rebuilding the shared corpus, and the time until
  every server answers from the new shared index.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.corpus import articles, eval_dir, sentence_pool
from bench.measure import folder_bytes, rss_mib
from bot.index_layout import LibraryPaths
from bot.library import Library
from index import OpenedIndex

REPO = Path(__file__).resolve().parent.parent
SENTENCES_PER_ARTICLE = 25


def emit(step: str, **figures: Any) -> None:
    """One step's figures as a JSON line, with the load average."""
    load = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps({"step": step, "load": load, **figures}), flush=True)


def write_collections(root: Path, servers: int, per_server: int, pool: list[str]) -> None:
    """``per_server`` generated articles in one JSONL file per server (kept between runs)."""
    for guild in range(1, servers + 1):
        target = root / str(guild) / "articles.jsonl"
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        records = articles(pool, per_server * SENTENCES_PER_ARTICLE, seed=10_000 + guild)
        lines = [json.dumps({**r, "id": f"s{guild}-{r['id']}"}) + "\n" for r in records]
        target.write_text("".join(lines), encoding="utf-8")


def paths(workdir: Path) -> LibraryPaths:
    """The library's folders: the bench's shared corpus and index, servers beside them."""
    servers = workdir / "servers"
    return LibraryPaths(
        workdir / "corpus", workdir / "index", servers / "collections", servers / "indexes"
    )


def resident() -> dict[str, float]:
    """This process's resident memory now: all of it and its private part, in MiB."""
    return {"rss_mib": round(rss_mib(), 1), "anon_mib": round(rss_mib("RssAnon"), 1)}


def timed_ms(ask: Callable[[str], object], questions: Sequence[str], rounds: int = 3) -> Any:
    """Each question's best time over ``rounds`` passes, in milliseconds."""
    best = np.full(len(questions), np.inf)
    for _ in range(rounds):
        for i, question in enumerate(questions):
            started = time.perf_counter()
            ask(question)
            best[i] = min(best[i], time.perf_counter() - started)
    return best * 1000


def percentiles(times: Any) -> dict[str, float]:
    """p50 and p95 of ``times``, rounded."""
    return {
        "p50_ms": round(float(np.percentile(times, 50)), 3),
        "p95_ms": round(float(np.percentile(times, 95)), 3),
    }


async def build(args: argparse.Namespace) -> None:
    """Build every server's index (in a process of its own: the one that measures memory
    only loads them)."""
    library = Library(paths(args.workdir))
    await library.current(None)
    started = time.perf_counter()
    for guild in range(1, args.servers + 1):
        await library.current(guild)
    emit("build", servers=args.servers, seconds=round(time.perf_counter() - started, 2))


async def scenario(args: argparse.Namespace, questions: list[str]) -> None:
    """Every measuring step, in one process (the bot's)."""
    guilds = list(range(1, args.servers + 1))
    library = Library(paths(args.workdir))
    memory = {"start": resident()}
    shared = await library.current(None)
    memory["shared"] = resident()
    started = time.perf_counter()
    views = [await library.current(guild) for guild in guilds]
    loaded = time.perf_counter() - started
    memory["servers"] = resident()
    for at, view in enumerate(views):
        view.searcher.search(questions[at % len(questions)], 5)
    memory["asked"] = resident()
    per_server = (memory["servers"]["anon_mib"] - memory["shared"]["anon_mib"]) / len(guilds)
    emit(
        "memory",
        **memory,
        load_servers_s=round(loaded, 2),
        sentences_per_server=views[0].stats.sentences - shared.stats.sentences,
        private_kib_per_server=round(per_server * 1024, 1),
    )
    disk(library, shared)
    latency(shared, views[0], questions)
    await add_articles(library, guilds, args.adds)
    if args.rebuild:
        await rebuild_shared(library, guilds)


def disk(library: Library, shared: OpenedIndex) -> None:
    """Bytes on disk: the shared index, the servers' indexes, the former layout."""
    servers = folder_bytes(str(library.paths.guild_indexes))
    count = len(list(library.paths.guild_indexes.iterdir()))
    emit(
        "disk",
        shared_mib=round(shared.stats.size_bytes / 2**20, 1),
        servers_mib=round(servers / 2**20, 1),
        per_server_kib=round(servers / count / 1024, 1),
        copies_layout_mib=round((count * shared.stats.size_bytes + servers) / 2**20, 1),
    )


def latency(shared: OpenedIndex, server: OpenedIndex, questions: list[str]) -> None:
    """Full answers for the same questions, shared only and in a server, best of 3."""
    alone = timed_ms(lambda q: shared.searcher.search(q, 5), questions)
    beside = timed_ms(lambda q: server.searcher.search(q, 5), questions)
    emit(
        "latency",
        questions=len(questions),
        shared_only=percentiles(alone),
        server=percentiles(beside),
        slower_p50=round(float(np.percentile(beside, 50) / np.percentile(alone, 50)) - 1, 3),
    )


async def add_articles(library: Library, guilds: list[int], count: int) -> None:
    """Add one article to ``count`` servers: until it answers there, until saved."""
    rng = random.Random(7)
    for guild in rng.sample(guilds, count):
        body = f"Lighthouse {guild} restored\n\nThe lighthouse number {guild} was restored."
        name = f"added-{int(time.time() * 1000)}.md"
        started = time.perf_counter()
        change = await library.add(guild, name, body.encode())
        saved = time.perf_counter() - started
        found = await library.search(guild, f"lighthouse number {guild} restored", 1)
        emit("add", guild=guild, saved_s=round(saved, 3), documents=len(change.documents),
             found=bool(found.answer.hits))  # fmt: skip


async def rebuild_shared(library: Library, guilds: list[int]) -> None:
    """Rebuild the shared corpus; then time until every server answers from it."""
    before = (await library.current(None)).index
    started = time.perf_counter()
    await library.rebuild_shared()
    rebuilt = time.perf_counter() - started
    started = time.perf_counter()
    reached = 0
    for guild in guilds:
        view = await library.current(guild)
        reached += view.searcher.parts.parts[0].index is not before
    reach = time.perf_counter() - started
    emit("rebuild", rebuild_s=round(rebuilt, 2), reach_all_s=round(reach, 3), reached=reached)


def main() -> None:
    """Prepare the collections, then run every step."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--adds", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="also rebuild the shared corpus")
    parser.add_argument("--fresh", action="store_true", help="start the servers from scratch")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folders = paths(args.workdir)
    if args.fresh:
        shutil.rmtree(folders.collections.parent, ignore_errors=True)
    pool = sentence_pool(eval_dir(REPO) / "squad-dev-articles.jsonl")
    write_collections(folders.collections, args.servers, args.articles, pool)
    if args.build_only:
        asyncio.run(build(args))
        return
    built = folders.guild_indexes.is_dir() and len(list(folders.guild_indexes.iterdir()))
    if built != args.servers:
        command = [sys.executable, "-m", "bench.servers", str(args.workdir), "--build-only"]
        subprocess.run([*command, "--servers", str(args.servers)], check=True)
    chosen: list[str] = json.loads((args.workdir / "questions.json").read_text("utf-8"))
    asyncio.run(scenario(args, chosen[: args.questions]))


if __name__ == "__main__":
    main()
