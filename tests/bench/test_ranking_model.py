"""The learner's maths: figures as qabot eval counts them, losses, and Newton's fit."""

from __future__ import annotations

import numpy as np
import pytest

from bench.learning_data import Example
from bench.ranking_model import _gradient_hessian, figures, fit, loss, pairs_of, ranks


def _example(table: list[list[float]], correct: list[bool], later: tuple[int, ...] = ()) -> Example:
    rows = np.array(table, dtype=np.float64)
    ids = np.arange(rows.shape[0], dtype=np.int64)
    relevant = sum(correct) + len(later)
    return Example("a", ids, rows, np.array(correct), later, relevant, 100)


def test_ranks_sort_by_score_then_by_sentence_id_then_the_rest() -> None:
    example = _example([[0.5], [2.0], [0.5]], [False, False, True], later=(5,))
    assert ranks(example, np.array([1.0])) == [3, 5]  # ids 0 and 2 tie: 0 first


def test_figures_are_p_at_1_mrr_and_map() -> None:
    first = _example([[3.0], [2.0], [1.0]], [True, False, True])
    second = _example([[3.0], [2.0]], [False, True])
    result = figures([first, second], np.array([1.0]))
    assert result.p_at_1 == 0.5
    assert result.mrr == pytest.approx((1.0 + 0.5) / 2)
    assert result.mean_ap == pytest.approx(((1 + 2 / 3) / 2 + 0.5) / 2)
    assert result.get("map") == result.mean_ap


@pytest.mark.parametrize("kind", ["pairwise", "softmax"])
def test_the_gradient_and_hessian_are_the_losss_derivatives(kind: str) -> None:
    rng = np.random.default_rng(3)
    examples = [_example(rng.normal(size=(6, 3)).tolist(), [True, True, False, False, False, False])
                for _ in range(4)]  # fmt: skip
    questions = pairs_of(examples, [0.25] * 4)
    w, strengths, step = rng.normal(size=3), np.full(3, 0.1), 1e-6
    gradient, hessian = _gradient_hessian(questions, w, strengths, kind)
    for i in range(3):
        shift = np.eye(3)[i] * step
        slope = loss(questions, w + shift, strengths, kind) - loss(
            questions, w - shift, strengths, kind
        )
        assert gradient[i] == pytest.approx(slope / (2 * step), abs=1e-6)
        bend = _gradient_hessian(questions, w + shift, strengths, kind)[0]
        bend = bend - _gradient_hessian(questions, w - shift, strengths, kind)[0]
        np.testing.assert_allclose(hessian[:, i], bend / (2 * step), atol=1e-5)


@pytest.mark.parametrize("kind", ["pairwise", "softmax"])
def test_fitting_finds_the_feature_that_tells_right_from_wrong(kind: str) -> None:
    rng = np.random.default_rng(7)
    examples = []
    for _ in range(40):
        correct = rng.random(8) < 0.3
        correct[0] = True
        telling = correct + rng.normal(scale=0.3, size=8)  # noisy, but it tells
        examples.append(
            _example(np.column_stack([rng.normal(size=8), telling]).tolist(), correct.tolist())
        )
    learned = fit(pairs_of(examples, [1 / 40] * 40), np.full(2, 1e-3), kind)
    assert learned[1] > 5 * abs(learned[0])
    assert figures(examples, learned).p_at_1 > figures(examples, np.array([1.0, 0.0])).p_at_1
    strong = fit(pairs_of(examples, [1 / 40] * 40), np.full(2, 100.0), kind)
    assert np.abs(strong).max() < np.abs(learned).max() / 10  # the strength shrinks them
