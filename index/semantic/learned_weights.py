"""Weights learned by ``bench/learn_weights.py``: regenerate, do not edit by hand.

Written by::

    python -m bench.learn_weights ../../shared/eval --trecqa-train \
    /tmp/q3/trecqa-train-shuffled --held-out /tmp/q3/trecqa-dev-shuffled --semantic \
    ../../shared/models/all-MiniLM-L6-v2-onnx --cache /tmp/q3/learncache --examples \
    /tmp/q3/sem.npz --only 'squad-dev open' --losses softmax pairwise --balances sets \
    --strengths 0.00001 0.0001 0.001 0.01 --write index/semantic/learned_weights.py

on 2026-12-02, from squad-dev open (5,397 questions); softmax loss, balance 'sets', strength
0.0001 (cross-validated mean 0.7487).

``answer_value`` was added after learning (issue 12, round 6) with weight 0: the feature
did not exist then, so these weights rank exactly as they were learned to; so was
``variants`` (round 7, docs/quality.md: with the extra on it won nothing measurable).
"""

from __future__ import annotations

VERSION = 1
FEATURES = (
    "bm25",
    "local",
    "neighbours",
    "title",
    "article",
    "proximity",
    "answer_type",
    "lead",
    "rarest",
    "coverage",
    "answer_value",
    "variants",
    "semantic",
    "semantic_article",
    "semantic_raw",
)
LEVERS: dict[str, float] = {
    "local": 2.0438,
    "neighbours": 0.5494,
    "title": 0.4617,
    "article": 1.072,
    "proximity": 0.3692,
    "answer_type": 0.6565,
    "lead": 0.4464,
    "rarest": 0.2602,
    "coverage": 1.1971,
    "answer_value": 0.0,
    "variants": 0.0,
}
WEIGHTS: dict[str, float] = {
    "weight": 0.8223,
    "article": 0.5374,
    "raw": 3.3082,
}
