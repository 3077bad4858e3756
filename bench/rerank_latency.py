"""What the re-ranking stage costs per question: search time with and without it.

    .venv/bin/python -m bench.rerank_latency ../shared/eval [--part dev]

Builds the SQuAD index in memory, asks every question of the part once to warm
the per-sentence cache, then times a second pass of plain BM25 and of the
re-ranked search (both with k=5, no confidence cut, no spelling) and prints
the median and 95th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from index import (
    DEFAULT_RERANK,
    Searcher,
    build_eval_index,
    read_articles,
    read_questions,
    read_split,
)


def _timings(index: Searcher, questions: list[str]) -> list[float]:
    times = []
    for question in questions:
        started = time.perf_counter()
        index.search(question, 5, min_confidence=0.0, spelling=False)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"{name:>10}: median {statistics.median(ordered):.3f} ms, p95 {p95:.3f} ms"


def main() -> None:
    """Print the per-question latency of plain and re-ranked search."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="folder with the squad-dev-*.jsonl files")
    parser.add_argument("--part", choices=("dev", "test"), default="dev")
    args = parser.parse_args()
    documents = read_articles(args.data / "squad-dev-articles.jsonl")
    part = read_split(args.data / "squad-split.json", args.part)
    gold = read_questions(args.data / "squad-dev-questions.jsonl")
    questions = [q.question for q in gold if q.article_id in part]
    plain = build_eval_index(documents, rerank=None)
    reranked = Searcher(plain.index, rerank=DEFAULT_RERANK)
    _timings(reranked, questions)
    for name, searcher in (("plain", plain), ("reranked", reranked)):
        print(_summary(name, _timings(searcher, questions)))


if __name__ == "__main__":
    main()
