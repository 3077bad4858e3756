"""Answers with the processor's caches warm, as in a run of questions, and cold.

    .venv/bin/python -m bench.cold_caches bench/out/1000000 [--questions 500]

``DIR`` is a bench size folder (``python -m bench.run`` makes it). Loads ``DIR/index``
(read only) and times, for each question, two steps of an answer in three states of
the caches, each state right before the timed call:

- ``warm``: the same call just made (what a best-of-N figure measures);
- ``in turn``: the previous question's call just made (what ``bench.run``'s p50
  measures: its questions run one after another);
- ``cold``: a 32 MiB array read (this machine's last-level cache holds 32 MiB), as for
  a bot whose question comes after other work.

The steps: BM25's pool of 100 (``Searcher.rank(q, 100, reranked=False)``, what the
re-ranker starts from) and the full answer as JSON (``Searcher.search(q, 5)``). Most of
a pool's time is memory traffic (it sums the postings of every query term, a quarter of a
million bytes and more at a million sentences), so the states differ most there. Prints
one JSON object: p50 and p95 in milliseconds per step and state, and the load average
before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from index import load_index

SWEEP_BYTES = 64 << 20
STATES = ("warm", "in turn", "cold")


def timings(call: Callable[[str], object], questions: list[str]) -> dict[str, list[float]]:
    """Milliseconds of ``call`` for each question, in each state of the caches."""
    sweep = np.ones(SWEEP_BYTES // 4, dtype=np.float32)
    found: dict[str, list[float]] = {state: [] for state in STATES}
    for at, question in enumerate(questions):
        for state in STATES:
            if state == "warm":
                call(question)
            elif state == "in turn":
                call(questions[at - 1])
            else:
                sweep += 1.0
            started = time.perf_counter()
            call(question)
            found[state].append((time.perf_counter() - started) * 1000)
    return found


def summary(times: list[float]) -> dict[str, float]:
    """p50 and p95 of ``times``, rounded to the microsecond."""
    return {
        "p50_ms": round(statistics.median(times), 3),
        "p95_ms": round(float(np.percentile(times, 95)), 3),
    }


def measure(folder: Path, count: int) -> dict[str, Any]:
    """Every step in every state over the first ``count`` questions of ``folder``."""
    searcher = load_index(folder / "index").searcher
    questions = json.loads((folder / "questions.json").read_text(encoding="utf-8"))[:count]
    steps: dict[str, Callable[[str], object]] = {
        "pool of 100": lambda q: searcher.rank(q, 100, reranked=False),
        "full answer (JSON)": lambda q: json.dumps(searcher.search(q, 5).to_json()),
    }
    for call in steps.values():  # load every kernel and touch the index once
        for question in questions[:20]:
            call(question)
    results: dict[str, Any] = {"questions": len(questions)}
    for name, call in steps.items():
        found = timings(call, questions)
        results[name] = {state: summary(found[state]) for state in STATES}
    return results


def main() -> None:
    """Measure and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a bench size folder (index/, questions.json)")
    parser.add_argument("--questions", type=int, default=500)
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    results = measure(args.folder, args.questions)
    load_after = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps({**results, "load_before": load_before, "load_after": load_after}, indent=2))


if __name__ == "__main__":
    main()
