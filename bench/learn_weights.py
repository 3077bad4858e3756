"""Learning the re-ranker's weights from the training halves, and writing them as constants.

    .venv/bin/python -m bench.shuffled_candidates ../shared/eval/trecqa-train /tmp/tq-train
    .venv/bin/python -m bench.learn_weights ../shared/eval --trecqa-train /tmp/tq-train \\
        [--semantic MODEL_DIR --cache DIR] [--write index/ranking/learned_weights.py]

Learns from training data only: WikiQA train, TrecQA train (shuffled: its files list
the correct sentences first) and the SQuAD dev half, open and article mode. Every
candidate's features are what the re-ranker weighs (``index.Searcher.features``);
the weights minimise a regularised pairwise logistic loss (``bench/ranking_model.py``).
The regularisation strength and how the sets are balanced are chosen by
cross-validation: the questions split into ``--folds`` folds by article, each fold
ranked by the weights learned from the others, the figure of each set (MAP for
WikiQA and TrecQA, P@1 for SQuAD) averaged over the sets. The chosen setting then
learns from everything. The weights are scaled so that BM25's and the local score's
sum to 1 (the re-ranker's ``local`` lever mixes the two), and ``--write`` writes them
as a Python module of constants for review: ``index/ranking/learned_weights.py``
(lexical) or ``index/semantic/learned_weights.py`` (with ``--semantic``). Dev and
test halves are never read: measure them afterwards with ``qabot eval``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench.learning_data import Collection, collect, question_vectors, training_sets
from bench.learning_store import load_collections, save_collections
from bench.ranking_model import Floats, figures, fit, pairs_of
from bench.weights_file import config_weights, constants_module
from index import DEFAULT_RERANK, DEFAULT_SEMANTIC, load_embedder

BALANCES = ("sets", "questions")
LOSSES = ("softmax", "pairwise")


def question_weights(collections: Sequence[Collection], balance: str) -> list[list[float]]:
    """Each question's weight in the loss, summing to 1 over all of them: every set and mode
    weighs the same (``sets``), or every question does (``questions``)."""
    total = sum(len(c.examples) for c in collections)
    if balance == "questions":
        return [[1.0 / total] * len(c.examples) for c in collections]
    return [[1.0 / (len(collections) * len(c.examples))] * len(c.examples) for c in collections]


def fold_of(group: str, folds: int) -> int:
    """The fold of an article (a stable hash: the same split on every run)."""
    return zlib.crc32(group.encode()) % folds


@dataclass(frozen=True, slots=True)
class Setting:
    """How to learn: the ``loss`` (``pairwise`` or ``softmax``), how the sets are balanced
    and the regularisation ``strength``."""

    loss: str
    balance: str
    strength: float

    def describe(self) -> str:
        """The setting in words."""
        return f"{self.loss} loss, balance {self.balance!r}, strength {self.strength}"


def learn(
    collections: Sequence[Collection], setting: Setting, keep: Sequence[bool] | None = None
) -> Floats:
    """The weights learned from ``collections`` (only the examples ``keep`` marks, in their
    concatenated order, when given)."""
    weights = question_weights(collections, setting.balance)
    examples = [e for c in collections for e in c.examples]
    flat = [w for ws in weights for w in ws]
    if keep is not None:
        examples = [e for e, k in zip(examples, keep, strict=True) if k]
        flat = [w for w, k in zip(flat, keep, strict=True) if k]
    size = len(collections[0].names)
    return fit(pairs_of(examples, flat), size, setting.strength, setting.loss)


def cross_validated(
    collections: Sequence[Collection], setting: Setting, folds: int
) -> dict[str, float]:
    """Each collection's figure with every fold ranked by the weights of the other folds."""
    groups = [fold_of(e.group, folds) for c in collections for e in c.examples]
    held: dict[str, list[tuple[int, Floats]]] = {c.name: [] for c in collections}
    for fold in range(folds):
        w = learn(collections, setting, [g != fold for g in groups])
        for c in collections:
            held[c.name] += [
                (i, w) for i, e in enumerate(c.examples) if fold_of(e.group, folds) == fold
            ]
    result = {}
    for c in collections:
        total = 0.0
        for i, w in held[c.name]:
            total += figures([c.examples[i]], w).get(c.measure)
        result[c.name] = total / len(c.examples)
    return result


def default_weights(names: Sequence[str]) -> Floats:
    """The shipped configuration's weights, feature by feature (the figures to beat)."""
    lexical = {f: getattr(DEFAULT_RERANK, f, 0.0) for f in names}
    lexical["bm25"] = 1.0 - DEFAULT_RERANK.local
    if "semantic" in names:
        lexical.update(dict(DEFAULT_SEMANTIC.levers))
        lexical["bm25"] = 1.0 - lexical.get("local", DEFAULT_RERANK.local)
        semantic = {
            "semantic": DEFAULT_SEMANTIC.weight,
            "semantic_article": DEFAULT_SEMANTIC.article,
            "semantic_raw": DEFAULT_SEMANTIC.raw,
        }
        lexical.update(semantic)
    return np.array([lexical[f] for f in names])


def report(label: str, collections: Sequence[Collection], w: Floats) -> None:
    """One line per collection: P@1 / MRR@10 / MAP under ``w``."""
    for c in collections:
        f = figures(c.examples, w)
        cells = f"P@1 {f.p_at_1:.4f}  MRR@10 {f.mrr:.4f}  MAP {f.mean_ap:.4f}"
        print(f"  {label:10} {c.name:28} {len(c.examples):5}  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument(
        "--trecqa-train", type=Path, required=True, help="prefix of a shuffled copy"
    )
    parser.add_argument("--semantic", type=Path, help="embedding model folder: learn with it on")
    parser.add_argument(
        "--cache", type=Path, default=Path("/tmp/qabot-learn"), help="vectors kept here"
    )
    parser.add_argument("--examples", type=Path, help="keep (or reuse) the collected examples here")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument(
        "--strengths", type=float, nargs="+", default=[0.001, 0.003, 0.01, 0.03, 0.1]
    )
    parser.add_argument("--balances", nargs="+", choices=BALANCES, default=list(BALANCES))
    parser.add_argument("--losses", nargs="+", choices=LOSSES, default=list(LOSSES))
    parser.add_argument("--without", nargs="+", default=[], help="features left out (weight 0)")
    parser.add_argument("--write", type=Path, help="write the chosen weights here")
    args = parser.parse_args()
    collections = _collections(args)
    names = collections[0].names
    chosen = [i for i, n in enumerate(names) if n not in args.without]
    narrowed = [_narrowed(c, chosen) for c in collections]
    print("shipped weights:")
    report("shipped", collections, default_weights(names))
    grid = itertools.product(args.losses, args.balances, args.strengths)
    best: tuple[float, Setting] | None = None
    for setting in (Setting(*values) for values in grid):
        cv = cross_validated(narrowed, setting, args.folds)
        score = float(np.mean(list(cv.values())))
        cells = "  ".join(f"{name} {value:.4f}" for name, value in cv.items())
        print(f"cv {setting.describe()}: mean {score:.4f}  {cells}", flush=True)
        if best is None or score > best[0]:
            best = (score, setting)
    assert best is not None
    score, setting = best
    w = np.zeros(len(names))
    w[chosen] = learn(narrowed, setting)
    w = w / (w[names.index("bm25")] + w[names.index("local")])
    print(f"chosen: {setting.describe()} (cross-validated mean {score:.4f}); weights:")
    print("  " + ", ".join(f"{n} {v:.4f}" for n, v in zip(names, w, strict=True)))
    report("learned", collections, w)
    if args.write is not None:
        how = f"{setting.describe()} (cross-validated mean {score:.4f})"
        text = constants_module(names, config_weights(names, w), sys.argv, collections, how)
        args.write.write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")


def _collections(args: argparse.Namespace) -> list[Collection]:
    if args.examples is not None and args.examples.is_file():
        return load_collections(args.examples)
    embedder, asked = None, None
    if args.semantic is not None:
        # As qabot eval loads it (--vectors CACHE): the same int8 copy, one thread.
        embedder = load_embedder(str(args.semantic), args.cache / "models")
        asked = question_vectors(embedder, args.cache)
    collections = []
    for spec in training_sets(args.eval_dir, args.trecqa_train):
        collections += collect(spec, embedder, args.cache, asked)
        print(f"collected {spec.name}", flush=True)
    if args.examples is not None:
        save_collections(args.examples, collections)
    return collections


def _narrowed(collection: Collection, chosen: list[int]) -> Collection:
    examples = tuple(replace(e, table=e.table[:, chosen]) for e in collection.examples)
    return replace(collection, examples=examples, names=tuple(collection.names[i] for i in chosen))


if __name__ == "__main__":
    main()
