"""Batch answers through the command line, against rank-bm25 in the same run.

    .venv/bin/python -m bench.cli_batch bench/out/100000 [--questions 1000] [--slow 100]

``DIR`` is a bench size folder (``python -m bench.run`` makes it: ``corpus/``,
``index/``, ``questions.json``). The same questions go, one per line, to
``qabot ask - --json -k 10`` (full answers: citations, highlights, confidence,
JSON), once with the default engine and once with ``--engine rank-bm25`` (rank-bm25
scoring every sentence, the rest of the answer the same). The command runs with its
output unbuffered and each answer is timed as its line arrives: the gaps between
lines are the questions' times, start-up (imports, loading, for rank-bm25 building
its engine) left out. Both engines answer the same first ``--slow`` questions; the
default engine also answers all ``--questions``. Prints one JSON object; the load
average is sampled before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

import numpy as np

QABOT = Path(sys.executable).with_name("qabot")


def ask(workdir: Path, questions: list[str], engine: str) -> dict[str, Any]:
    """Run ``qabot ask -`` over ``questions``; when each answer line arrived.

    The command's output is unbuffered (``PYTHONUNBUFFERED``), so each answer is timed
    as it is printed: the gaps between lines are the questions' times, start-up aside.
    """
    command = [
        str(QABOT), "-q", "ask", "-", "--json", "-k", "10", "--engine", engine,
        "--corpus", str(workdir / "corpus"), "--index", str(workdir / "index"),
    ]  # fmt: skip
    started = time.perf_counter()
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=environment
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        writer = threading.Thread(target=_feed, args=(process.stdin, questions))
        writer.start()
        arrivals, answered = [], 0
        for line in process.stdout:
            arrivals.append(time.perf_counter())
            answered += "hits" in json.loads(line)
        writer.join()
    if process.returncode:
        raise SystemExit(f"qabot ask exited with {process.returncode}")
    gaps = np.diff(arrivals) * 1000
    return {
        "engine": engine,
        "questions": len(questions),
        "answered": answered,
        "start_up_s": round(arrivals[0] - started, 3),
        "per_question_ms": round(float(gaps.mean()), 3),
        "p50_ms": round(float(np.percentile(gaps, 50)), 3),
        "p95_ms": round(float(np.percentile(gaps, 95)), 3),
    }


def _feed(sink: TextIO, questions: list[str]) -> None:
    for question in questions:
        sink.write(question + "\n")
    sink.close()


def main() -> None:
    """Run both engines over the same questions; print the times and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--questions", type=int, default=1000, help="for the default engine")
    parser.add_argument("--slow", type=int, default=100, help="asked of both engines")
    args = parser.parse_args()
    chosen: list[str] = json.loads((args.workdir / "questions.json").read_text("utf-8"))
    load_before = os.getloadavg()
    same = chosen[: args.slow]
    slow = ask(args.workdir, same, "rank-bm25")
    fast_same = ask(args.workdir, same, "sparse")
    fast = ask(args.workdir, chosen[: args.questions], "sparse")
    speedup = slow["per_question_ms"] / fast_same["per_question_ms"]
    report = {
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "rank_bm25": slow,
        "sparse_same_questions": fast_same,
        "sparse": fast,
        "speedup_same_questions": round(speedup, 1),
        "speedup_mean_times": round(slow["per_question_ms"] / fast["per_question_ms"], 1),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
