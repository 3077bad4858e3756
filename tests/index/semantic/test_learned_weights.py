"""The learned weights module: made for today's features, and what the open corpus uses."""

from __future__ import annotations

from index.ranking.rerank_combine import FEATURES as LEXICAL
from index.ranking.rerank_config import LEVERS
from index.semantic import learned_weights
from index.semantic.mixing import DEFAULT_SEMANTIC, FEATURES, ModeWeights


def test_the_weights_were_learned_on_todays_features() -> None:
    # Regenerate with bench/learn_weights.py when a feature is added, removed or redefined.
    assert (*LEXICAL, *FEATURES) == learned_weights.FEATURES
    assert learned_weights.VERSION == 1
    assert set(learned_weights.LEVERS) == set(LEXICAL) - {"bm25"} and set(LEVERS) >= set(
        learned_weights.LEVERS
    )
    assert set(learned_weights.WEIGHTS) == {"weight", "article", "raw"}


def test_searches_of_the_whole_corpus_weigh_with_them() -> None:
    learned = ModeWeights.of(learned_weights.WEIGHTS, learned_weights.LEVERS)
    assert DEFAULT_SEMANTIC.mode(open_corpus=True) == learned
    within = DEFAULT_SEMANTIC.mode(open_corpus=False)
    assert within.features == (DEFAULT_SEMANTIC.weight, DEFAULT_SEMANTIC.article, 0.0)
    assert within.levers == (("variants", 0.0),)  # round 7: the lever is off with the term on
