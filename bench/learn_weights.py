"""Learning the re-ranker's weights from the training halves, and writing them as constants.

    .venv/bin/python -m bench.shuffled_candidates ../shared/eval/trecqa-train /tmp/tq-train
    .venv/bin/python -m bench.shuffled_candidates ../shared/eval/trecqa-dev /tmp/tq-dev
    .venv/bin/python -m bench.learn_weights ../shared/eval --trecqa-train /tmp/tq-train \\
        [--held-out /tmp/tq-dev] [--semantic MODEL_DIR --cache DIR] [--prior] \\
        [--examples FILE.npz] [--write index/ranking/learned_weights.py]

Learns from training data only: WikiQA train, TrecQA train (shuffled: its files list
the correct sentences first) and the SQuAD dev half, open and article mode. Every
candidate's features are what the re-ranker weighs (``index.Searcher.features``);
the weights minimise a regularised logistic loss (``bench/ranking_model.py``,
``bench/learning.py``). Each setting of the grid (loss, balance of the sets,
strength) is judged by cross-validation: the questions split into ``--folds`` folds
by article, each fold ranked by the weights learned from the others, the figure of
each set (MAP for WikiQA and TrecQA, P@1 for SQuAD) averaged over the sets. The best
setting then learns from everything; its weights are scaled so that BM25's and the
local score's sum to 1 (the re-ranker's ``local`` lever mixes the two).

``--held-out`` also ranks WikiQA dev and TrecQA dev (``PREFIX``: a shuffled copy;
and as distributed) with the shipped and the learned weights, never learning from
them. ``--write`` writes the weights as a Python module of constants for review
(``bench/weights_file.py``). The test halves are never read.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from bench.learning import BALANCES, LOSSES, Setting, cross_validated, learn
from bench.learning_data import (
    Collection,
    SetSpec,
    collect,
    held_out_sets,
    question_vectors,
    training_sets,
)
from bench.learning_store import load_collections, save_collections
from bench.ranking_model import Floats, figures
from bench.weights_file import SEMANTIC_FIELDS, config_weights, constants_module
from index import DEFAULT_RERANK, DEFAULT_SEMANTIC, load_embedder


def shipped_weights(names: Sequence[str], mode: str) -> Floats:
    """The shipped weight of each feature in ``mode`` (the figures to beat): the lexical
    re-ranker's, or with the semantic term on, its weights and levers for that mode."""
    levers: dict[str, float] = asdict(DEFAULT_RERANK)
    weights = dict.fromkeys(names, 0.0)
    if "semantic" in names:
        chosen = DEFAULT_SEMANTIC.mode(open_corpus=mode == "open")
        levers.update(chosen.levers)
        weights.update(zip(SEMANTIC_FIELDS, chosen.features, strict=True))
    weights.update({name: float(levers[name]) for name in names if name in levers})
    weights["bm25"] = 1.0 - float(levers["local"])
    return np.array([weights[name] for name in names])


def report(label: str, collections: Sequence[Collection], w: Floats | None) -> None:
    """One line per collection: P@1 / MRR@10 / MAP under ``w`` (``None``: the shipped
    weights of its mode)."""
    for c in collections:
        f = figures(c.examples, shipped_weights(c.names, c.mode) if w is None else w)
        cells = f"P@1 {f.p_at_1:.4f}  MRR@10 {f.mrr:.4f}  MAP {f.mean_ap:.4f}"
        print(f"  {label:8} {c.name:30} {len(c.examples):5}  {cells}")


def main() -> None:
    args = _parser().parse_args()
    collections = _collected(args, training_sets(args.eval_dir, args.trecqa_train), "")
    held = []
    if args.held_out is not None:
        held = _collected(args, held_out_sets(args.eval_dir, args.held_out), ".held-out")
    names = collections[0].names
    chosen = [i for i, n in enumerate(names) if n not in args.without]
    learned_from = [c for c in collections if not args.only or c.name in args.only]
    narrowed = [_narrowed(c, chosen) for c in learned_from]
    modes = {c.mode for c in learned_from}
    prior = shipped_weights(names, modes.pop() if len(modes) == 1 else "article")
    grid = itertools.product(args.losses, args.balances, args.strengths)
    best: tuple[float, Setting] | None = None
    for setting in (Setting(*values, prior=args.prior) for values in grid):
        cv = cross_validated(narrowed, setting, prior[chosen], args.folds)
        score = float(np.mean(list(cv.values())))
        cells = "  ".join(f"{name} {value:.4f}" for name, value in cv.items())
        print(f"cv {setting.describe()}: mean {score:.4f}  {cells}", flush=True)
        if best is None or score > best[0]:
            best = (score, setting)
    assert best is not None
    score, setting = best
    w = np.zeros(len(names))
    w[chosen] = learn(narrowed, setting, prior[chosen])
    w = w / (w[names.index("bm25")] + w[names.index("local")])
    print(f"chosen: {setting.describe()} (cross-validated mean {score:.4f}); weights:")
    print("  " + ", ".join(f"{n} {v:.4f}" for n, v in zip(names, w, strict=True)))
    for label, weights in (("shipped", None), ("learned", w)):
        report(label, [*collections, *held], weights)
    if args.write is not None:
        how = f"{setting.describe()} (cross-validated mean {score:.4f})"
        text = constants_module(names, config_weights(names, w), sys.argv, learned_from, how)
        args.write.write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--trecqa-train", type=Path, required=True, help="a shuffled copy")
    parser.add_argument("--held-out", type=Path, help="a shuffled copy of TrecQA dev")
    parser.add_argument("--semantic", type=Path, help="embedding model folder: learn with it on")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qabot-learn"), help="vectors")
    parser.add_argument("--examples", type=Path, help="keep (or reuse) the examples here")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--strengths", type=float, nargs="+", default=[0.0001, 0.001, 0.01, 0.1])
    parser.add_argument("--balances", nargs="+", choices=BALANCES, default=list(BALANCES))
    parser.add_argument("--losses", nargs="+", choices=LOSSES, default=list(LOSSES))
    parser.add_argument("--prior", action="store_true", help="regularise towards the shipped")
    parser.add_argument("--without", nargs="+", default=[], help="features left out (weight 0)")
    parser.add_argument("--only", nargs="+", default=[], help='learn from these ("squad-dev open")')
    parser.add_argument("--write", type=Path, help="write the chosen weights here")
    return parser


def _collected(args: argparse.Namespace, specs: list[SetSpec], suffix: str) -> list[Collection]:
    """The examples of ``specs``, read from ``--examples`` (with ``suffix``) when kept there."""
    kept = None if args.examples is None else args.examples.with_suffix(f"{suffix}.npz")
    if kept is not None and kept.is_file():
        return load_collections(kept)
    embedder, asked = None, None
    if args.semantic is not None:
        # As qabot eval loads it with --vectors CACHE: the same int8 copy, one thread.
        embedder = load_embedder(str(args.semantic), args.cache / "models")
        asked = question_vectors(embedder, args.cache)
    collections = []
    for spec in specs:
        collections += collect(spec, embedder, args.cache, asked)
        print(f"collected {spec.name}", flush=True)
    if kept is not None:
        save_collections(kept, collections)
    return collections


def _narrowed(collection: Collection, chosen: list[int]) -> Collection:
    examples = tuple(replace(e, table=e.table[:, chosen]) for e in collection.examples)
    return replace(collection, examples=examples, names=tuple(collection.names[i] for i in chosen))


if __name__ == "__main__":
    main()
