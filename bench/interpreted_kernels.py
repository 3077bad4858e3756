"""Where one question answers faster with interpreted kernels than by importing numba.

``qabot ask`` answers a single question over an index of at most
``INTERPRETED_UP_TO`` sentences with its kernels interpreted (``index.jit``), because
importing numba and loading the compiled kernels costs a fresh process a fixed
fraction of a second. This measures both sides of that trade:

- numba's cost: fresh processes that import numpy, PyStemmer and qabot, with and
  without loading the compiled kernels (``warm_up``), median wall time each;
- the answers: for each corpus size (the bench generator's SQuAD-based articles),
  full answers (k=5) to ``--questions`` eval questions and to one long question of
  80 common words, interpreted and compiled, in one warm process.

    python -m bench.interpreted_kernels [--sizes 10000,100000] [--questions 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import eval_dir, questions, sentence_pool, write_corpus
from index import compile_kernels, interpret_kernels, rebuild

LONG_QUESTION = " ".join(["which year was the first city government state people war"] * 8)
IMPORTS = "import numpy, Stemmer, index"
WITH_KERNELS = IMPORTS + "\nindex.warm_up()"


def process_seconds(code: str, runs: int) -> float:
    """Median wall time of ``runs`` fresh Pythons running ``code``."""
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def answer_ms(ask: Callable[[str], object], texts: list[str]) -> list[float]:
    """Milliseconds of each answer, each question asked once before it is timed."""
    times = []
    for text in texts:
        ask(text)
        started = time.perf_counter()
        ask(text)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def size_row(size: int, pool: list[str], texts: list[str], work: Path) -> str:
    corpus = write_corpus(pool, size, work / f"corpus-{size}").parent
    searcher = rebuild(corpus, work / f"index-{size}").searcher
    cells = []
    for mode, switch in (("interpreted", interpret_kernels), ("compiled", compile_kernels)):
        switch()
        times = answer_ms(lambda q: searcher.search(q, 5), texts)
        (long,) = answer_ms(lambda q: searcher.search(q, 5), [LONG_QUESTION])
        p95 = times[int(0.95 * (len(times) - 1))]
        cells.append(
            f"{mode} p50 {statistics.median(times):.1f} p95 {p95:.1f} "
            f"max {times[-1]:.1f} long {long:.1f} ms"
        )
    return f"{size:>9,} sentences: " + "; ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    evals = eval_dir(Path(__file__).resolve().parent.parent)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bare, compiled = (process_seconds(c, options.runs) for c in (IMPORTS, WITH_KERNELS))
    print(f"fresh process: imports {bare:.3f} s, with numba and the kernels {compiled:.3f} s")
    pool = sentence_pool(evals / "squad-dev-articles.jsonl")
    texts = questions(evals / "squad-dev-questions.jsonl", options.questions)
    with tempfile.TemporaryDirectory(prefix="qabot-interpreted-") as folder:
        for size in (int(s) for s in options.sizes.split(",")):
            print(size_row(size, pool, texts, Path(folder)), flush=True)


if __name__ == "__main__":
    main()
