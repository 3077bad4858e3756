"""Semantic re-ranking's costs: model load and memory, embedding throughput, full answers.

    .venv/bin/python -m bench.semantic_speed WORKDIR MODEL_DIR [--sentences 100000]
        [--questions 1000] [--float32] [--threads 1] [--step build|embed|answer ...]

``build`` writes the bench corpus (``bench/corpus.py``) and builds qabot's index in
``WORKDIR/index`` unless it is there. ``embed`` loads the model (its load time and
the resident memory it adds) and fills the missing sentence embeddings as ``qabot
reindex --semantic`` does, timing sentences a second; it resumes where a killed run
stopped. ``answer`` asks the questions one at a time with the semantic term mixed in
(the question embedded on the same thread) and without, and times the question's
embedding alone: p50/p95 in ms. Prints one JSON object per step.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.corpus import eval_dir, questions, sentence_pool, write_corpus
from bench.measure import latencies, rss_mib
from index import RuntimeOptions, SentenceEmbedding, load_embedder, load_index, rebuild, warm_up

REPO = Path(__file__).resolve().parent.parent


def build(workdir: Path, sentences: int) -> dict[str, Any]:
    """The bench corpus and its index (reused when present)."""
    if (workdir / "index" / "CURRENT").exists():
        return {"step": "build", "reused": True}
    pool = sentence_pool(eval_dir(REPO) / "squad-dev-articles.jsonl")
    write_corpus(pool, sentences, workdir / "corpus")
    started = time.perf_counter()
    opened = rebuild(workdir / "corpus", workdir / "index")
    seconds = round(time.perf_counter() - started, 2)
    return {"step": "build", "sentences": opened.stats.sentences, "build_s": seconds}


def _embedding(args: argparse.Namespace) -> tuple[SentenceEmbedding, Any, dict[str, Any]]:
    opened = load_index(args.workdir / "index")
    before = rss_mib()
    started = time.perf_counter()
    options = RuntimeOptions(threads=args.threads)
    embedder = load_embedder(
        str(args.model), args.workdir / "models", int8=not args.float32, options=options
    )
    embedder.embed(["warm up"])
    loaded = {
        "model": embedder.name,
        "threads": args.threads,
        "model_load_s": round(time.perf_counter() - started, 3),
        "model_rss_mib": round(rss_mib() - before, 1),
    }
    embedding = SentenceEmbedding(opened.index, args.workdir / "index", embedder)
    embedding.attach(opened.searcher)
    return embedding, opened, loaded


def embed(args: argparse.Namespace) -> dict[str, Any]:
    """Fill what is missing; sentences a second over what this run embedded."""
    embedding, _, loaded = _embedding(args)
    embedding.load()
    ready = embedding.progress.ready
    started = time.perf_counter()
    embedding.fill()
    seconds = time.perf_counter() - started
    done = embedding.progress.ready - ready
    return {
        "step": "embed",
        **loaded,
        "already_embedded": ready,
        "embedded_now": done,
        "seconds": round(seconds, 1),
        "sentences_per_s": round(done / seconds, 1) if done else None,
        "rss_mib_after": round(rss_mib(), 1),
    }


def answer(args: argparse.Namespace) -> dict[str, Any]:
    """Full answers with and without the semantic term, and the question's embedding."""
    warm_up()
    embedding, opened, loaded = _embedding(args)
    embedding.load()
    searcher = opened.searcher
    asked = questions(eval_dir(REPO) / "squad-dev-questions.jsonl", args.questions)
    ranker = embedding.ranker
    with_semantic = latencies(lambda q: searcher.search(q, 5), asked, args.best_of)
    searcher.semantic = None
    lexical = latencies(lambda q: searcher.search(q, 5), asked, args.best_of)
    question_alone = latencies(lambda q: ranker.question_vector(q), asked, args.best_of)
    return {
        "step": "answer",
        **loaded,
        "sentences": len(opened.index),
        "embedded": embedding.progress.ready,
        "semantic_answer": with_semantic,
        "lexical_answer": lexical,
        "question_embedding": question_alone,
        "rss_mib_after": round(rss_mib(), 1),
    }


def main() -> None:
    """Run the chosen steps and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("model", type=Path, help="the model folder")
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--best-of", type=int, default=1)
    parser.add_argument("--float32", action="store_true", help="the model as shipped, not int8")
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads")
    parser.add_argument("--step", nargs="+", default=["build", "embed", "answer"])
    args = parser.parse_args()
    for step in args.step:
        if step == "build":
            result = build(args.workdir, args.sentences)
        else:
            result = embed(args) if step == "embed" else answer(args)
        print(json.dumps(result, default=asdict), flush=True)


if __name__ == "__main__":
    main()
