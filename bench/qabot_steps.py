"""qabot's own build and query steps for the benchmark (see ``bench.peers``)."""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from typing import Any

from bench.measure import folder_bytes, latencies, memory_report, rss_mib
from bench.peers import K, read_questions


def run(step: str, engine: str, workdir: Path, count: int, best_of: int = 1) -> dict[str, Any]:
    """``build``: JSONL to index folder. ``query``: load, then rank or answer."""
    if step == "build":
        return build(workdir)
    return query(workdir, count, engine.removeprefix("qabot").lstrip("-") or "bm25", best_of)


def build(workdir: Path) -> dict[str, Any]:
    """Build the index from ``workdir/corpus`` into ``workdir/index``, as ``qabot reindex`` does."""
    from index import rebuild

    started = time.perf_counter()
    opened = rebuild(workdir / "corpus", workdir / "index")
    seconds = time.perf_counter() - started
    cpu = sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF),
                      resource.getrusage(resource.RUSAGE_CHILDREN))
    )  # fmt: skip
    folder = workdir / "index" / (workdir / "index" / "CURRENT").read_text().strip()
    return {
        "build_s": round(seconds, 2),
        "build_cpu_s": round(cpu, 1),
        "size_bytes": folder_bytes(str(folder)),
        "sentences": opened.stats.sentences,
        "documents": opened.stats.documents,
        "vocabulary": opened.stats.vocabulary,
        "postings": opened.stats.postings,
    }


def query(workdir: Path, count: int, task: str, best_of: int = 1) -> dict[str, Any]:
    """Start up (warm the kernels), load the index, then per question: ``bm25``, BM25's
    top-10 ids (the peers' task); ``ranked``, the top-10 ids after re-ranking; ``answer``,
    full answers of 10 hits (citations, highlights, confidence); ``json``, full answers of
    5 hits made into the JSON ``qabot ask --json`` prints (issue 14's whole answer)."""
    started = time.perf_counter()
    from index import load_index, warm_up

    warm_up()
    startup_s = time.perf_counter() - started
    questions = read_questions(workdir, count)
    before = rss_mib()
    started = time.perf_counter()
    searcher = load_index(workdir / "index").searcher
    load_s = time.perf_counter() - started
    after = rss_mib()
    if task == "answer":
        latency = latencies(lambda q: searcher.search(q, K), questions, best_of)
    elif task == "json":  # what ``qabot ask --json -k 5`` prints, without the printing
        latency = latencies(
            lambda q: json.dumps(searcher.search(q, 5).to_json()), questions, best_of
        )
    else:
        reranked = task == "ranked"
        latency = latencies(lambda q: searcher.rank(q, K, reranked=reranked), questions, best_of)
    return {"startup_s": round(startup_s, 3), **memory_report(load_s, before, after, latency)}
