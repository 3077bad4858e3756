"""Tuning the semantic mix: P@1, MRR@10, R@5 and MAP over a grid of weights, in-process.

    .venv/bin/python -m bench.semantic_quality ../shared/eval MODEL_DIR \\
        --sets squad-dev wikiqa-dev trecqa-dev --weights 0 0.5 1 [--int8] [--cache DIR]

Each set is indexed in memory as ``qabot eval`` does; every sentence (in its article's
context, as qabot embeds it) and question is embedded once (cached in ``--cache``: the
sentences in a vector store, the questions under a hash of the model and the texts, so
a grid re-runs in seconds), then each weight is a :class:`SemanticRanker` swapped into
the same index. ``alone`` ranks by the cosine only (every sentence of the article;
BM25 only breaks ties). Only train and dev halves are offered: the test halves are
for reporting, with ``qabot eval --semantic`` once the choices are final.

MAP here: per question, the mean over its relevant sentences (those covering the
start of a gold answer) of the precision at each one's rank in the top 100 (0 when
not returned), as usual for TrecQA and WikiQA.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from index import (
    DEFAULT_RERANK,
    Document,
    Embedder,
    GoldQuestion,
    RuntimeOptions,
    Searcher,
    SemanticConfig,
    SemanticRanker,
    SentenceEmbedding,
    Span,
    build_eval_index,
    load_embedder,
    read_articles,
    read_questions,
    read_split,
)

Vectors = npt.NDArray[np.float32]
Scaling = Literal["cosine", "range"]
SETS = ("squad-dev", "trecqa-train", "trecqa-dev", "wikiqa-train", "wikiqa-dev")
DEPTH = 100
ALONE = 1000.0  # a weight that makes the cosine decide; BM25 only breaks ties


@dataclass(frozen=True)
class _Lookup:
    """An embedder that returns vectors computed beforehand (the questions of a run)."""

    name: str
    dimension: int
    known: dict[str, Vectors]

    def embed(self, texts: Sequence[str]) -> Vectors:
        return np.stack([self.known[text] for text in texts])


def _cached(embedder: Embedder, texts: list[str], cache: Path) -> Vectors:
    digest = hashlib.sha256("\n".join([embedder.name, *texts]).encode()).hexdigest()[:24]
    path = cache / f"{digest}.npy"
    if path.exists():
        vectors: Vectors = np.load(path)
        return vectors
    started = time.perf_counter()
    vectors = embedder.embed(texts)
    seconds = time.perf_counter() - started
    print(f"  embedded {len(texts)} texts in {seconds:.1f} s ({len(texts) / seconds:.0f}/s)")
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def _load_set(
    eval_dir: Path, name: str, shuffle: bool
) -> tuple[list[Document], list[GoldQuestion]]:
    if name == "squad-dev":
        documents = read_articles(eval_dir / "squad-dev-articles.jsonl")
        questions = read_questions(eval_dir / "squad-dev-questions.jsonl")
        part = read_split(eval_dir / "squad-split.json", "dev")
        return documents, [q for q in questions if q.article_id in part]
    documents = read_articles(eval_dir / f"{name}-articles.jsonl")
    questions = read_questions(eval_dir / f"{name}-questions.jsonl")
    return _shuffled(documents, questions) if shuffle else (documents, questions)


def _shuffled(
    documents: list[Document], questions: list[GoldQuestion]
) -> tuple[list[Document], list[GoldQuestion]]:
    """Each article's candidates in a seeded random order, answers moved with them.

    TrecQA's files list the correct candidates first (the first candidate is correct for
    every question), so ranking ties, or any position lever, in file order would score
    from the file's layout."""
    moved: dict[str, dict[int, int]] = {}
    shuffled = []
    for document in documents:
        paragraphs = document.text.split("\n\n")
        starts = list(itertools.accumulate((len(p) + 2 for p in paragraphs[:-1]), initial=0))
        order = list(range(len(paragraphs)))
        random.Random(document.info.doc_id).shuffle(order)
        text = "\n\n".join(paragraphs[i] for i in order)
        new_starts = list(itertools.accumulate((len(paragraphs[i]) + 2 for i in order), initial=0))
        moved[document.info.doc_id] = {starts[i]: new_starts[n] for n, i in enumerate(order)}
        spans = tuple(
            Span(new_starts[n], new_starts[n] + len(paragraphs[i])) for n, i in enumerate(order)
        )
        shuffled.append(Document(document.info, text, spans))
    return shuffled, [_moved(q, moved[q.article_id]) for q in questions]


def _moved(gold: GoldQuestion, starts: dict[int, int]) -> GoldQuestion:
    spans = []
    for span in gold.answers:
        old = max(start for start in starts if start <= span.start)
        shift = starts[old] - old
        spans.append(Span(span.start + shift, span.end + shift))
    return replace(gold, answers=tuple(spans))


def _relevant(searcher: Searcher, gold: GoldQuestion) -> set[int]:
    index = searcher.index
    position = next(i for i, d in enumerate(index.documents) if d.doc_id == gold.article_id)
    within = index.table.doc_range(position)
    found = set()
    for sentence_id in within:
        start, end = int(index.table.start[sentence_id]), int(index.table.end[sentence_id])
        if any(start <= span.start < end for span in gold.answers):
            found.add(sentence_id)
    return found


def _scores(index: Searcher, questions: list[GoldQuestion], article: bool) -> dict[str, float]:
    p1 = mrr = r5 = ap_sum = 0.0
    for gold in questions:
        doc_id = gold.article_id if article else None
        answer = index.search(
            gold.question, DEPTH, doc_id=doc_id, min_confidence=0.0, spelling=False
        )
        relevant = _relevant(index, gold)
        ranks = [h.rank for h in answer.hits if h.position in relevant]
        if ranks:
            p1 += ranks[0] == 1
            mrr += 1 / ranks[0] if ranks[0] <= 10 else 0.0
            r5 += ranks[0] <= 5
            ap_sum += sum((i + 1) / r for i, r in enumerate(ranks)) / max(len(relevant), 1)
    n = len(questions) or 1
    return {"p@1": p1 / n, "mrr@10": mrr / n, "r@5": r5 / n, "map": ap_sum / n}


def run_set(args: argparse.Namespace, name: str, embedder: Embedder) -> None:
    """Lexical (``off``), ``alone`` and every weight on one set, in each of its modes."""
    documents, questions = _load_set(args.eval_dir, name, args.shuffle_trecqa and "trec" in name)
    searcher = build_eval_index(documents)
    table = searcher.index.table
    # Embedded as qabot embeds them (each sentence in its article's context), kept in the
    # cache folder's vector store so a grid re-runs without the model.
    embedding = SentenceEmbedding(searcher.index, args.cache / "vectors", embedder)
    embedding.fill()
    vectors = embedding.ranker.vectors
    asked = sorted({q.question for q in questions})
    known = dict(zip(asked, _cached(embedder, asked, args.cache), strict=True))
    lookup = _Lookup(embedder.name, embedder.dimension, known)
    modes = ("open", "article") if name.startswith("squad") else ("article",)
    for weight, scaling, article in _configs(args):
        config = SemanticConfig(weight, scaling, article)
        ranker = SemanticRanker(lookup, vectors, config, table.doc_first)
        rerank = None if weight == ALONE else DEFAULT_RERANK
        index = Searcher(searcher.index, rerank=rerank, semantic=ranker if weight else None)
        for mode in modes:
            figures = _scores(index, questions, mode == "article")
            label = {0.0: "off", ALONE: "alone"}.get(weight, weight)
            row = {
                "set": name,
                "mode": mode,
                "weight": label,
                "scaling": scaling,
                "article": article,
            }
            print(json.dumps({**row, **{k: round(v, 4) for k, v in figures.items()}}), flush=True)


def _configs(args: argparse.Namespace) -> list[tuple[float, Scaling, float]]:
    """(weight, scaling, article weight) for every run: off and alone first if asked."""
    runs: list[tuple[float, Scaling, float]] = []
    for weight in args.weights:
        if weight in ("off", "alone"):
            runs.append((0.0 if weight == "off" else ALONE, "cosine", 0.0))
            continue
        runs += [(float(weight), s, a) for s in args.scalings for a in args.article]
    return runs


def main() -> None:
    """Print one JSON line per set, mode and weight."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--weights", nargs="+", default=["off", "alone", "0.5", "1"])
    parser.add_argument("--scalings", nargs="+", default=["range"], choices=["cosine", "range"])
    parser.add_argument("--article", nargs="+", type=float, default=[0.0], help="article weights")
    parser.add_argument(
        "--shuffle-trecqa", action="store_true", help="candidates in a seeded random order"
    )
    parser.add_argument("--int8", action="store_true", help="quantize the model (int8)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-semantic-cache"))
    args = parser.parse_args()
    options = RuntimeOptions(args.threads)
    embedder = load_embedder(str(args.model_dir), args.cache, int8=args.int8, options=options)
    for set_name in args.sets:
        run_set(args, set_name, embedder)


if __name__ == "__main__":
    main()
