"""The benchmark's Markdown: the machine, then one row per engine and size."""

from __future__ import annotations

import os
from importlib import metadata
from typing import Any

COLUMNS = (
    "size", "engine", "build s", "index MiB", "load s", "RSS loaded MiB",
    "RSS after MiB (private + mapped)", "first ms", "p50 ms", "p95 ms", "QPS",
    "best-of-5 p50 ms", "best-of-5 p95 ms", "questions",
)  # fmt: skip


def machine(python: str) -> str:
    """One line naming the CPU, cores, memory and library versions."""
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{name} {_version(name)}" for name in _PACKAGES)
    return f"Machine: {cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; Python {python}; {versions}."


_PACKAGES = ("numpy", "numba", "rank-bm25", "bm25s", "tantivy")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def table(runs: list[dict[str, Any]]) -> str:
    """One row per (size, engine) that answered."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for run in runs:
        for engine, query in run["query"].items():
            build = run["build"].get(engine.split("-")[0] if engine != "rank-bm25" else "", {})
            lines.append("| " + " | ".join(_row(run["size"], engine, build, query)) + " |")
    return "\n".join(lines)


def _row(size: int, engine: str, build: dict[str, Any], query: dict[str, Any]) -> list[str]:
    if "error" in query:
        return [f"{size:,}", engine, *["—"] * 11, f"error: {query['error'][:60]}"]
    built = query.get("build_s", build.get("build_s"))
    size_mib = build.get("size_bytes", 0) / 2**20 if build.get("size_bytes") else None
    return [
        f"{size:,}",
        engine,
        _num(built, 1),
        _num(size_mib, 0),
        _num(query.get("load_s"), 3),
        _num(_loaded(query), 0),
        _after(query),
        _num(query.get("first_ms"), 2),
        _num(query.get("p50_ms"), 3),
        _num(query.get("p95_ms"), 3),
        _num(query.get("qps"), 0),
        _num(query.get("p50_best_ms"), 3),
        _num(query.get("p95_best_ms"), 3),
        str(query.get("questions", "")),
    ]


def _loaded(query: dict[str, Any]) -> float | None:
    if query.get("rss_before_mib") is None or query.get("load_mib") is None:
        return None
    return float(query["rss_before_mib"]) + float(query["load_mib"])


def _after(query: dict[str, Any]) -> str:
    total = _num(query.get("rss_after_queries_mib"), 0)
    anon, mapped = query.get("anon_after_queries_mib"), query.get("file_after_queries_mib")
    return total if anon is None else f"{total} ({anon:,.0f} + {mapped:,.0f})"


def _num(value: Any, digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
