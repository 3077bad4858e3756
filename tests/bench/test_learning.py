"""Learning settings: balanced question weights, folds by article, the pull towards a prior."""

from __future__ import annotations

import numpy as np
import pytest

from bench.learning import Setting, cross_validated, fold_of, learn, question_weights
from bench.learning_data import Collection, Example


def _collection(name: str, size: int, seed: int) -> Collection:
    rng = np.random.default_rng(seed)
    examples = []
    for n in range(size):
        correct = np.zeros(6, dtype=np.bool_)
        correct[rng.integers(6)] = True
        table = np.column_stack([correct + rng.normal(scale=0.5, size=6), rng.normal(size=6)])
        examples.append(Example(f"{name}-{n}", np.arange(6), table, correct, (), 1, 100))
    return Collection(name, "p@1", tuple(examples), ("bm25", "local"), "article")


def test_question_weights_balance_sets_or_questions_and_sum_to_one() -> None:
    big, small = _collection("big", 30, 1), _collection("small", 10, 2)
    by_set = question_weights([big, small], "sets")
    assert sum(by_set[:30]) == pytest.approx(0.5) and sum(by_set[30:]) == pytest.approx(0.5)
    by_question = question_weights([big, small], "questions")
    assert set(by_question) == {1 / 40}


def test_an_article_always_falls_in_the_same_fold() -> None:
    assert fold_of("squad-dev-04", 4) == fold_of("squad-dev-04", 4)
    assert {fold_of(f"a{n}", 4) for n in range(40)} == {0, 1, 2, 3}


def test_a_strong_pull_towards_the_prior_gives_the_prior_back() -> None:
    data = [_collection("one", 30, 3)]
    prior = np.array([0.2, 0.8])
    pulled = learn(data, Setting("softmax", "sets", 1e5, prior=True), prior)
    assert pulled / pulled.sum() == pytest.approx(prior, abs=1e-3)
    free = learn(data, Setting("softmax", "sets", 1e-3), prior)
    assert free[0] > free[1]  # the first feature is the telling one


def test_cross_validation_ranks_every_question_with_weights_learned_without_it() -> None:
    data = [_collection("one", 40, 4), _collection("two", 20, 5)]
    figures = cross_validated(data, Setting("pairwise", "sets", 1e-2), np.zeros(2), 4)
    assert set(figures) == {"one", "two"} and all(0.5 < v <= 1.0 for v in figures.values())
