"""A linear ranking model learned from pairs: the maths of ``bench/learn_weights.py``.

The score of a candidate is ``w · x``, ``x`` its features. For every question, every
(correct, wrong) pair of its candidates should score right above wrong; the loss is
the logistic loss of the score difference, ``log(1 + exp(s_wrong - s_right))``,
averaged over the question's pairs (so each question weighs its own weight, however
many candidates it has), plus ``Σ λ_i w_i² / 2`` (RankNet's loss for a linear scorer,
Burges et al. 2005; L2-regularised as in RankSVM, Joachims 2002). The ``softmax``
loss is listwise instead: for each correct candidate, ``-log`` of its share of
``exp(score)`` among itself and the wrong ones (Bruch et al. 2019). Both are convex,
so Newton's method from ``w = 0`` finds its minimum in a few steps; each step halves
until the loss falls.

The figures are those ``qabot eval`` prints (``index.service.evaluation``): the
candidates sorted by score, ties by sentence id, then the ones ranked after them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bench.learning_data import Example

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Figures:
    """P@1, MRR@10 and MAP of a ranking over some questions."""

    p_at_1: float
    mrr: float
    mean_ap: float

    def get(self, measure: str) -> float:
        """The figure named ``measure`` ("p@1", "mrr@10" or "map")."""
        return {"p@1": self.p_at_1, "mrr@10": self.mrr, "map": self.mean_ap}[measure]


def ranks(example: Example, weights: Floats) -> list[int]:
    """The ranks (from 1, ascending) of ``example``'s correct sentences under ``weights``,
    among its first ``depth``."""
    scores = example.table @ weights
    order = np.lexsort((example.ids, -scores))
    head = (np.flatnonzero(example.correct[order]) + 1).tolist()
    return [r for r in [*head, *example.later] if r <= example.depth]


def figures(examples: Sequence[Example], weights: Floats) -> Figures:
    """P@1, MRR@10 and MAP of ``examples`` ranked by ``weights``."""
    p1 = mrr = ap = 0.0
    for example in examples:
        found = ranks(example, weights)
        if found:
            p1 += found[0] == 1
            mrr += 1.0 / found[0] if found[0] <= 10 else 0.0
            ap += sum((i + 1) / r for i, r in enumerate(found)) / example.relevant
    n = len(examples) or 1
    return Figures(p1 / n, mrr / n, ap / n)


@dataclass(frozen=True, eq=False)
class _Pairs:
    """One question's candidates split into correct (``right``) and wrong, and its weight."""

    right: Floats
    wrong: Floats
    weight: float


def pairs_of(examples: Sequence[Example], weights: Sequence[float]) -> list[_Pairs]:
    """The questions that have both a correct and a wrong candidate, with their weights."""
    kept = []
    for example, weight in zip(examples, weights, strict=True):
        right, wrong = example.table[example.correct], example.table[~example.correct]
        if right.shape[0] and wrong.shape[0]:
            kept.append(_Pairs(right, wrong, weight))
    return kept


def loss(questions: Sequence[_Pairs], w: Floats, strengths: Floats, kind: str) -> float:
    """The regularised loss at ``w`` (``strengths``: each weight's λ): ``pairwise`` logistic,
    or ``softmax`` (listwise)."""
    total = 0.5 * float(w @ (strengths * w))
    for q in questions:
        right, wrong = q.right @ w, q.wrong @ w
        if kind == "pairwise":
            total += q.weight * float(np.logaddexp(0.0, wrong[None, :] - right[:, None]).mean())
        else:
            spread = np.logaddexp(right, _logsumexp(wrong))
            total += q.weight * float((spread - right).mean())
    return total


def _logsumexp(values: Floats) -> float:
    top = float(values.max())
    return top + float(np.log(np.exp(values - top).sum()))


def _pairwise(q: _Pairs, w: Floats) -> tuple[Floats, Floats]:
    """The gradient and Hessian of one question's pairwise logistic loss."""
    gaps = (q.wrong @ w)[None, :] - (q.right @ w)[:, None]
    sigma = 1.0 / (1.0 + np.exp(-gaps))  # d loss / d gap
    share = q.weight / gaps.size
    a, b = sigma * share, sigma * (1.0 - sigma) * share
    gradient = a.sum(axis=0) @ q.wrong - a.sum(axis=1) @ q.right
    cross = q.right.T @ b @ q.wrong
    hessian = (q.wrong.T * b.sum(axis=0)) @ q.wrong
    hessian = hessian + (q.right.T * b.sum(axis=1)) @ q.right - cross - cross.T
    return gradient, hessian


def _softmax(q: _Pairs, w: Floats) -> tuple[Floats, Floats]:
    """The gradient and Hessian of one question's softmax loss: for each correct candidate,
    ``-log`` of its share of ``exp(score)`` among itself and the wrong ones (Bruch et al.
    2019: a bound on MRR and NDCG)."""
    right, wrong = q.right @ w, q.wrong @ w
    spread = np.logaddexp(right, _logsumexp(wrong))[:, None]  # one per correct candidate
    own = np.exp(right[:, None] - spread)[:, 0]
    shares = np.exp(wrong[None, :] - spread)  # correct × wrong
    share = q.weight / right.shape[0]
    means = own[:, None] * q.right + shares @ q.wrong
    gradient = ((own - 1.0) @ q.right + shares.sum(axis=0) @ q.wrong) * share
    hessian = (q.right.T * own) @ q.right + (q.wrong.T * shares.sum(axis=0)) @ q.wrong
    return gradient, (hessian - means.T @ means) * share


def _gradient_hessian(
    questions: Sequence[_Pairs], w: Floats, strengths: Floats, kind: str
) -> tuple[Floats, Floats]:
    gradient, hessian = strengths * w, np.diag(strengths)
    one = _pairwise if kind == "pairwise" else _softmax
    for q in questions:
        g, h = one(q, w)
        gradient, hessian = gradient + g, hessian + h
    return gradient, hessian


def fit(questions: Sequence[_Pairs], strengths: Floats, kind: str, steps: int = 50) -> Floats:
    """The weights minimising the loss (Newton's method from 0, halving a step until the
    loss falls; ``strengths``: each weight's λ)."""
    w = np.zeros(strengths.shape[0])
    current = loss(questions, w, strengths, kind)
    for _ in range(steps):
        gradient, hessian = _gradient_hessian(questions, w, strengths, kind)
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        trial = w - step
        value = loss(questions, trial, strengths, kind)
        while value > current and scale > 1e-6:
            scale /= 2
            trial = w - scale * step
            value = loss(questions, trial, strengths, kind)
        if value > current:
            break
        improved = current - value
        w, current = trial, value
        if improved <= 1e-10 * max(1.0, current):
            break
    return w
