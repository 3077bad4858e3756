"""Timing and memory figures, the same way for every engine."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

MIB = 1024 * 1024


def rss_mib(kind: str = "VmRSS") -> float:
    """Resident memory of this process now: all of it (``VmRSS``), or only its private
    memory (``RssAnon``), or only pages of mapped files (``RssFile``, the page cache)."""
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(kind + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True, slots=True)
class Latency:
    """Per-question latencies of one engine, in milliseconds."""

    first_ms: float
    p50_ms: float
    p95_ms: float
    mean_ms: float
    qps: float
    questions: int
    p50_best_ms: float | None = None
    p95_best_ms: float | None = None


def latencies(ask: Callable[[str], object], questions: Sequence[str], best_of: int = 1) -> Latency:
    """Ask each question once, one at a time; the first is reported apart (cold).

    With ``best_of`` > 1, every question is then asked that many times more in a row and
    its fastest time kept: percentiles of those damp interference from other processes.
    """
    started = time.perf_counter()
    ask(questions[0])
    first = time.perf_counter() - started
    times = []
    began = time.perf_counter()
    for question in questions[1:]:
        started = time.perf_counter()
        ask(question)
        times.append(time.perf_counter() - started)
    total = time.perf_counter() - began
    ms = np.array(times) * 1000
    best = _best_times(ask, questions[1:], best_of) if best_of > 1 else None
    return Latency(
        first_ms=round(first * 1000, 3),
        p50_ms=round(float(np.percentile(ms, 50)), 4),
        p95_ms=round(float(np.percentile(ms, 95)), 4),
        mean_ms=round(float(ms.mean()), 4),
        qps=round(len(times) / total, 1),
        questions=len(times),
        p50_best_ms=None if best is None else round(float(np.percentile(best, 50)), 4),
        p95_best_ms=None if best is None else round(float(np.percentile(best, 95)), 4),
    )


def _best_times(ask: Callable[[str], object], questions: Sequence[str], repeats: int) -> Any:
    fastest = []
    for question in questions:
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            ask(question)
            runs.append(time.perf_counter() - started)
        fastest.append(min(runs))
    return np.array(fastest) * 1000


def as_json(value: Any) -> Any:
    """A dataclass as a dict, anything else unchanged."""
    return asdict(value) if hasattr(value, "__dataclass_fields__") else value


def folder_bytes(path: str) -> int:
    """Bytes of every file under ``path``."""
    return sum(
        os.path.getsize(os.path.join(folder, name))
        for folder, _, names in os.walk(path)
        for name in names
    )


def memory_report(load_s: float, before: float, after: float, latency: object) -> dict[str, Any]:
    """Load time, resident memory before, after loading and after the questions, and latency."""
    return {
        "load_s": round(load_s, 4),
        "rss_before_mib": round(before, 1),
        "load_mib": round(after - before, 1),
        "rss_after_queries_mib": round(rss_mib(), 1),
        "anon_after_queries_mib": round(rss_mib("RssAnon"), 1),
        "file_after_queries_mib": round(rss_mib("RssFile"), 1),
        **as_json(latency),
    }
