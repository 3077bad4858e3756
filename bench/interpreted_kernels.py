"""Where one question answers faster with interpreted kernels than by importing numba.

``qabot ask`` answers a single question over an index of at most
``INTERPRETED_UP_TO`` sentences with its kernels interpreted (``index.jit``), because
importing numba and loading the compiled kernels costs a fresh process a fixed
fraction of a second. This measures the trade as a user meets it: for each corpus
size (the bench generator's SQuAD-based articles, built once), fresh processes open
the index without warm-up and answer one question (k=5), kernels interpreted or
compiled; ``--questions`` eval questions and one long question of 80 common words.
Prints the median and largest wall time of each.

    python -m bench.interpreted_kernels [--sizes 10000,100000,1000000] [--questions 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import eval_dir, questions, sentence_pool, write_corpus
from index import rebuild

LONG_QUESTION = " ".join(["which year was the first city government state people war"] * 8)
ONE_ANSWER = """
import sys
from pathlib import Path
import index
corpus, folder, mode, question = sys.argv[1:]
if mode == "interpreted":
    index.interpret_kernels()
index.open_index(Path(corpus), Path(folder), warm=False).searcher.search(question, 5)
"""


def one_answer_seconds(corpus: Path, folder: Path, mode: str, question: str) -> float:
    """Wall time of a fresh process that opens the index and answers ``question``."""
    started = time.perf_counter()
    argv = [sys.executable, "-c", ONE_ANSWER, str(corpus), str(folder), mode, question]
    subprocess.run(argv, check=True)
    return time.perf_counter() - started


def size_row(size: int, pool: list[str], texts: list[str], work: Path) -> str:
    corpus, folder = write_corpus(pool, size, work / f"corpus-{size}").parent, work / f"i{size}"
    sentences = rebuild(corpus, folder).stats.sentences
    cells = []
    for mode in ("interpreted", "compiled"):
        walls = [one_answer_seconds(corpus, folder, mode, q) for q in texts]
        long = one_answer_seconds(corpus, folder, mode, LONG_QUESTION)
        cells.append(
            f"{mode} median {statistics.median(walls):.3f} s, max {max(walls):.3f} s, "
            f"long question {long:.3f} s"
        )
    return f"{sentences:>9,} sentences: " + "; ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--questions", type=int, default=10)
    options = parser.parse_args()
    evals = eval_dir(Path(__file__).resolve().parent.parent)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    pool = sentence_pool(evals / "squad-dev-articles.jsonl")
    texts = questions(evals / "squad-dev-questions.jsonl", options.questions)
    with tempfile.TemporaryDirectory(prefix="qabot-interpreted-") as folder:
        for size in (int(s) for s in options.sizes.split(",")):
            print(size_row(size, pool, texts, Path(folder)), flush=True)


if __name__ == "__main__":
    main()
