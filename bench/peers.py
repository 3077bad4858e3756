"""One engine, one step, one fresh process: ``python -m bench.peers STEP ENGINE WORKDIR``.

Each step prints one JSON object. Build and query run in separate processes so
the memory a query process reports is what loading costs, not what building left.
Every engine sees the same sentences (cut by qabot) and the same terms
(qabot's analyzer; tantivy gets them joined by spaces and splits at white
space), so they rank the same bag of terms; every engine's question time
includes analysing the question with qabot's analyzer.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.measure import folder_bytes, latencies, memory_report, rss_mib
from index import Analyzer

K = 10
BEST_OF = 1
Ask = Callable[[str], object]


def read_terms(workdir: Path) -> list[list[str]]:
    """The analysed sentences the bench prepared (one line of terms per sentence)."""
    with (workdir / "terms.txt").open(encoding="utf-8") as handle:
        return [line.split() for line in handle]


def read_questions(workdir: Path, count: int) -> list[str]:
    """The first ``count`` bench questions."""
    chosen: list[str] = json.loads((workdir / "questions.json").read_text(encoding="utf-8"))
    return chosen[:count]


def build_bm25s(workdir: Path, engine: str) -> dict[str, Any]:
    """Index the terms with bm25s and save it (mappable)."""
    import bm25s

    terms = read_terms(workdir)
    started = time.perf_counter()
    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene", backend=_backend(engine))
    retriever.index(terms, show_progress=False)
    target = workdir / engine
    shutil.rmtree(target, ignore_errors=True)
    retriever.save(str(target))
    return {
        "build_s": round(time.perf_counter() - started, 2),
        "size_bytes": folder_bytes(str(target)),
    }


def _backend(engine: str) -> str:
    return "numba" if engine.endswith("numba") else "numpy"


def query_bm25s(workdir: Path, engine: str, count: int) -> dict[str, Any]:
    """Load the saved bm25s index (mapped) and answer the questions."""
    import bm25s

    analyzer, questions = Analyzer(), read_questions(workdir, count)
    before = rss_mib()
    started = time.perf_counter()
    retriever = bm25s.BM25.load(str(workdir / "bm25s"), mmap=True, show_progress=False)
    retriever.backend = _backend(engine)
    load_s = time.perf_counter() - started
    after = rss_mib()
    vocab = retriever.vocab_dict

    def ask(question: str) -> object:
        terms = [t for t in analyzer.terms(question) if t in vocab]
        if not terms:
            return None
        return retriever.retrieve(
            [terms], k=K, show_progress=False, n_threads=1, backend_selection=_backend(engine)
        )

    return memory_report(load_s, before, after, latencies(ask, questions, BEST_OF))


def build_tantivy(workdir: Path) -> dict[str, Any]:
    """Index the same terms with tantivy (split at white space: the analysis is qabot's)."""
    import tantivy

    with (workdir / "terms.txt").open(encoding="utf-8") as handle:
        texts = handle.read().splitlines()
    target = workdir / "tantivy"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    started = time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace")
    index = tantivy.Index(builder.build(), path=str(target))
    writer = index.writer(heap_size=512 * 1024 * 1024, num_threads=2)
    for text in texts:
        writer.add_document(tantivy.Document(body=text))
    writer.commit()
    writer.wait_merging_threads()
    return {
        "build_s": round(time.perf_counter() - started, 2),
        "size_bytes": folder_bytes(str(target)),
    }


def query_tantivy(workdir: Path, count: int) -> dict[str, Any]:
    """Open the tantivy index (mapped) and answer the questions."""
    import tantivy

    analyzer, questions = Analyzer(), read_questions(workdir, count)
    before = rss_mib()
    started = time.perf_counter()
    index = tantivy.Index.open(str(workdir / "tantivy"))
    searcher, schema = index.searcher(), index.schema
    load_s = time.perf_counter() - started
    after = rss_mib()
    should = tantivy.Occur.Should

    def ask(question: str) -> object:
        terms = analyzer.terms(question)
        clauses = [(should, tantivy.Query.term_query(schema, "body", t)) for t in terms]
        return searcher.search(tantivy.Query.boolean_query(clauses), K).hits

    return memory_report(load_s, before, after, latencies(ask, questions, BEST_OF))


def query_rank_bm25(workdir: Path, count: int) -> dict[str, Any]:
    """rank-bm25 has no file format but pickle: build in this process, then answer."""
    from index import LuceneBM25

    analyzer, questions, terms = Analyzer(), read_questions(workdir, count), read_terms(workdir)
    before = rss_mib()
    started = time.perf_counter()
    bm25 = LuceneBM25(terms)
    build_s = time.perf_counter() - started
    del terms
    after = rss_mib()

    def ask(question: str) -> object:
        scores = bm25.scores(analyzer.terms(question))
        best = np.argpartition(-scores, K)[:K]
        return best[np.argsort(-scores[best])]

    report = memory_report(0.0, before, after, latencies(ask, questions, BEST_OF))
    return {**report, "build_s": round(build_s, 2), "load_s": None}


def main() -> None:
    """Run one step of one engine and print its figures as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=("build", "query"))
    parser.add_argument("engine")
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--best-of", type=int, default=1, help="also time each question N times")
    args = parser.parse_args()
    global BEST_OF
    BEST_OF = args.best_of
    print(json.dumps(_dispatch(args.step, args.engine, args.workdir, args.questions)))


def _dispatch(step: str, engine: str, workdir: Path, count: int) -> dict[str, Any]:
    if engine.startswith("qabot"):
        from bench import qabot_steps

        return qabot_steps.run(step, engine, workdir, count, BEST_OF)
    if engine.startswith("bm25s"):
        if step == "build":
            return build_bm25s(workdir, "bm25s")
        return query_bm25s(workdir, engine, count)
    if engine == "tantivy":
        return build_tantivy(workdir) if step == "build" else query_tantivy(workdir, count)
    if engine == "rank-bm25":
        return query_rank_bm25(workdir, count)
    raise SystemExit(f"unknown engine {engine}")


if __name__ == "__main__":
    main()
