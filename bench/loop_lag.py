"""How long the event loop stalls while 100 questions are answered at once in threads.

``python -m bench.loop_lag INDEX_DIR QUESTIONS_JSON [--switch-ms 5]
[--semantic MODEL_DIR [--embed-in-background]]``

A ticker coroutine asks to sleep 1 ms over and over; the lag is how late each
wake-up comes. Meanwhile 100 questions are answered at once, either through
``asyncio.to_thread(index.search)`` or through :class:`index.search_thread.SearchThread`.
The compiled kernel releases the GIL; the Python around it (analysis, citations,
highlights) competes with the loop for it. With ``--semantic`` each question is also
embedded on the search thread (ONNX Runtime releases the GIL while it runs), and with
``--embed-in-background`` a worker thread embeds every sentence meanwhile, as the bot's
does after a build.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from pathlib import Path

import numpy as np

from index import Searcher, SearchThread, SentenceEmbedding, load_embedder, load_index

TICK = 0.001


async def _ticker(lags: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(TICK)
        lags.append(time.perf_counter() - started - TICK)


async def lag_while_answering(
    index: Searcher, questions: list[str], runner: SearchThread | None
) -> dict[str, float]:
    """Loop lag (ms) while answering ``questions`` concurrently, and the batch's wall time.

    With ``runner`` the questions go to its one thread, else to ``asyncio.to_thread``.
    """
    lags: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(lags, stop))
    await asyncio.sleep(0.05)
    idle = len(lags)
    started = time.perf_counter()
    if runner is None:
        await asyncio.gather(*(asyncio.to_thread(index.search, q, 10) for q in questions))
    else:
        await asyncio.gather(*(runner.search(index, q, 10) for q in questions))
    seconds = time.perf_counter() - started
    stop.set()
    await ticker
    busy = np.array(lags[idle:]) * 1000
    return {
        "questions": len(questions),
        "wall_ms": round(seconds * 1000, 1),
        "idle_max_lag_ms": round(float(np.max(lags[:idle])) * 1000, 3),
        "max_lag_ms": round(float(busy.max()), 3),
        "p99_lag_ms": round(float(np.percentile(busy, 99)), 3),
        "p50_lag_ms": round(float(np.percentile(busy, 50)), 3),
    }


def _semantic(
    searcher: Searcher, index_dir: Path, model: Path, background: bool
) -> SentenceEmbedding:
    """Switch the semantic term on: saved embeddings, or a worker embedding them all anew."""
    embedder = load_embedder(str(model), index_dir.parent / "models")
    embedding = SentenceEmbedding(searcher.index, None if background else index_dir, embedder)
    embedding.attach(searcher)
    if background:
        embedding.start()
    else:
        embedding.load()
    print(json.dumps({"semantic": embedder.name, "embedded": embedding.progress.ready}))
    return embedding


def main() -> None:
    """Load the index, answer 100 questions at once, print the loop lag as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("index", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--switch-ms", type=float, default=5.0, help="sys.setswitchinterval")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--runner", choices=("to_thread", "search-thread"), default="search-thread",
        help="asyncio.to_thread (default executor) or index.search_thread.SearchThread",
    )  # fmt: skip
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after loading")
    parser.add_argument(
        "--semantic", type=Path, metavar="MODEL_DIR",
        help="mix in the semantic term (each question embedded on the search thread)",
    )  # fmt: skip
    parser.add_argument(
        "--embed-in-background", action="store_true",
        help="with --semantic: embed every sentence anew on a worker thread meanwhile",
    )  # fmt: skip
    args = parser.parse_args()
    sys.setswitchinterval(args.switch_ms / 1000)
    opened = load_index(args.index)
    index = opened.searcher
    embedding = None
    if args.semantic is not None:
        embedding = _semantic(index, args.index, args.semantic, args.embed_in_background)
    if args.freeze:
        gc.freeze()
    questions = json.loads(args.questions.read_text(encoding="utf-8"))
    for round_number in range(args.rounds):
        batch = questions[round_number * args.count : (round_number + 1) * args.count]
        runner = SearchThread() if args.runner == "search-thread" else None
        result = asyncio.run(lag_while_answering(index, batch, runner))
        if runner is not None:
            runner.close()
        settings = {"runner": args.runner, "freeze": args.freeze, "switch_ms": args.switch_ms}
        print(json.dumps({**settings, "round": round_number, **result}))
    if embedding is not None:
        print(json.dumps({"embedded_meanwhile": embedding.progress.ready}))
        embedding.stop()  # never exit while the worker is inside the model


if __name__ == "__main__":
    main()
