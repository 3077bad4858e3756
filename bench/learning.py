"""Learning weights from collections of examples, and judging a setting by cross-validation.

A :class:`Setting` says how: the loss (``bench/ranking_model.py``), how the sets are
balanced, the regularisation strength and its centre. With ``prior`` the weights are
pulled towards the shipped ones rather than towards 0: the shipped score becomes one
more feature, nearly unregularised, and the others learn a correction to it that the
strength keeps small (a large strength gives the shipped weights back). So
cross-validation can tell whether any point near the hand-set weights ranks better.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bench.learning_data import Collection, Example
from bench.ranking_model import Floats, figures, fit, pairs_of

BALANCES = ("sets", "questions")
LOSSES = ("softmax", "pairwise")
FREE = 1e-6  # the strength on the shipped score's own weight under a prior


@dataclass(frozen=True, slots=True)
class Setting:
    """How to learn: the ``loss``, the ``balance`` of the sets (``sets``: every set and
    mode weighs the same; ``questions``: every question does), the regularisation
    ``strength``, and whether it pulls towards the ``prior`` weights or towards 0."""

    loss: str
    balance: str
    strength: float
    prior: bool = False

    def describe(self) -> str:
        """The setting in words."""
        centre = ", towards the shipped weights" if self.prior else ""
        return f"{self.loss} loss, balance {self.balance!r}, strength {self.strength}{centre}"


def question_weights(collections: Sequence[Collection], balance: str) -> list[float]:
    """Each question's weight in the loss (all collections' in order), summing to 1."""
    total = sum(len(c.examples) for c in collections)
    weights: list[float] = []
    for c in collections:
        share = (
            1.0 / total if balance == "questions" else 1.0 / (len(collections) * len(c.examples))
        )
        weights += [share] * len(c.examples)
    return weights


def fold_of(group: str, folds: int) -> int:
    """The fold of an article (a stable hash: the same split on every run)."""
    return zlib.crc32(group.encode()) % folds


def learn(
    collections: Sequence[Collection],
    setting: Setting,
    prior: Floats,
    keep: Sequence[bool] | None = None,
) -> Floats:
    """The weights learned from ``collections`` (only the examples ``keep`` marks, in their
    concatenated order, when given); ``prior``: the shipped weights."""
    examples = [e for c in collections for e in c.examples]
    weights = question_weights(collections, setting.balance)
    if keep is not None:
        examples = [e for e, k in zip(examples, keep, strict=True) if k]
        weights = [w for w, k in zip(weights, keep, strict=True) if k]
    size = prior.shape[0]
    if not setting.prior:
        return fit(pairs_of(examples, weights), np.full(size, setting.strength), setting.loss)
    shifted = [_with_score(e, prior) for e in examples]
    strengths = np.r_[FREE, np.full(size, setting.strength)]
    learned = fit(pairs_of(shifted, weights), strengths, setting.loss)
    corrected: Floats = learned[0] * prior + learned[1:]
    return corrected


def _with_score(example: Example, prior: Floats) -> Example:
    return replace(example, table=np.column_stack([example.table @ prior, example.table]))


def cross_validated(
    collections: Sequence[Collection], setting: Setting, prior: Floats, folds: int
) -> dict[str, float]:
    """Each collection's figure with every fold (articles kept whole) ranked by the weights
    learned from the other folds."""
    groups = [fold_of(e.group, folds) for c in collections for e in c.examples]
    learned = [learn(collections, setting, prior, [g != f for g in groups]) for f in range(folds)]
    result = {}
    for c in collections:
        total = sum(
            figures([e], learned[fold_of(e.group, folds)]).get(c.measure) for e in c.examples
        )
        result[c.name] = total / len(c.examples)
    return result
