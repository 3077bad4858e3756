"""The benchmark: ``python -m bench.run --sizes 10000 100000 1000000``.

For each size it generates the corpus (deterministic, see ``bench.corpus``),
builds qabot's index from JSONL, prepares the same sentences' terms for the
peers, builds each peer, then in a fresh process per engine loads the index
and asks the same questions one at a time. Results go to
``bench/out/results-<size>.json`` and a Markdown table to stdout and
``bench/out/table.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from bench.corpus import eval_dir, questions, sentence_pool, write_corpus
from bench.report import machine, table

REPO = Path(__file__).resolve().parent.parent
BUILDS = ("qabot", "bm25s", "tantivy")
QUERIES = (
    *("qabot", "qabot-ranked", "qabot-answer", "qabot-json"),
    *("bm25s-numba", "bm25s-numpy", "tantivy", "rank-bm25"),
)
# Above these sizes the slow engines answer a tenth of the questions (at least 20).
SLOW = {"bm25s-numpy": 100_000, "rank-bm25": 100_000}


def step(step: str, engine: str, workdir: Path, count: int = 0, best_of: int = 1) -> dict[str, Any]:
    """Run one step of one engine in a fresh Python process; its JSON figures."""
    command = [sys.executable, "-m", "bench.peers", step, engine, str(workdir)]
    options = ["--questions", str(count), "--best-of", str(best_of)]
    done = subprocess.run([*command, *options], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def prepare(workdir: Path, size: int, question_count: int) -> None:
    """The corpus and questions of one size (kept between runs: they are deterministic)."""
    data = eval_dir(REPO)
    write_corpus(sentence_pool(data / "squad-dev-articles.jsonl"), size, workdir / "corpus")
    chosen = questions(data / "squad-dev-questions.jsonl", question_count)
    (workdir / "questions.json").write_text(json.dumps(chosen), encoding="utf-8")


def _analysed(texts: list[str]) -> list[str]:
    from index import Analyzer

    analyzer = Analyzer()
    return [" ".join(analyzer.terms(text)) for text in texts]


def write_terms(workdir: Path) -> None:
    """Every sentence of qabot's index analysed once, for the peers that take terms."""
    from index import load_index

    target = workdir / "terms.txt"
    if target.exists():
        return
    table = load_index(workdir / "index").index.table
    texts = [table.text(i) for i in range(len(table))]
    chunks = [texts[i : i + 20_000] for i in range(0, len(texts), 20_000)]
    with Pool(os.cpu_count()) as pool, target.with_suffix(".tmp").open("w") as handle:
        for lines in pool.imap(_analysed, chunks):
            handle.writelines(line + "\n" for line in lines)
    target.with_suffix(".tmp").replace(target)


def best_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the lowest median latency; how many runs there were."""
    answered = [run for run in runs if "p50_ms" in run] or runs
    best = min(answered, key=lambda run: run.get("p50_ms", 0.0))
    return {**best, "runs": len(runs)}


def _built(workdir: Path, engine: str) -> bool:
    return (workdir / ("index/CURRENT" if engine == "qabot" else engine)).exists()


def run_size(
    size: int, out: Path, engines: list[str], count: int, repeat: int = 1, reuse: bool = False
) -> dict[str, Any]:
    """Every engine at one corpus size."""
    workdir = out / str(size)
    prepare(workdir, size, count)
    results: dict[str, Any] = {"size": size, "build": {}, "query": {}}
    if reuse and (out / f"results-{size}.json").exists():
        results["build"] = json.loads((out / f"results-{size}.json").read_text())["build"]
    for engine in BUILDS:
        if not (reuse and _built(workdir, engine)) and (
            engine == "qabot" or any(q.startswith(engine) for q in engines)
        ):
            print(f"[{size}] building {engine}", file=sys.stderr, flush=True)
            results["build"][engine] = step("build", engine, workdir)
        # The peers read the terms of qabot's sentences, also when its index was kept.
        if engine == "qabot" and any(not q.startswith("qabot") for q in engines):
            write_terms(workdir)
    for engine in engines:
        asked = count if size <= SLOW.get(engine, size) else max(20, count // 10)
        runs = 1 if engine in SLOW else repeat
        print(f"[{size}] asking {engine} {asked} questions x{runs}", file=sys.stderr, flush=True)
        best_of = 1 if engine in SLOW else 5
        tries = [step("query", engine, workdir, asked, best_of) for _ in range(runs)]
        results["query"][engine] = best_run(tries)
    (out / f"results-{size}.json").write_text(json.dumps(results, indent=1))
    return results


def main() -> None:
    """Parse the arguments, run every size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--engines", nargs="+", default=list(QUERIES), choices=QUERIES)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument(
        "--repeat", type=int, default=3, help="query runs per fast engine; the best p50 is kept"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep indexes (and build figures) already built"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    runs = [
        run_size(size, args.out, args.engines, args.questions, args.repeat, args.reuse)
        for size in args.sizes
    ]
    text = machine(platform.python_version()) + "\n\n" + table(runs)
    (args.out / "table.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
