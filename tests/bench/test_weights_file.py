"""Learned weights written as a module of constants that reads back as configuration."""

from __future__ import annotations

import numpy as np

from bench.learning_data import Collection
from bench.weights_file import VERSION, config_weights, constants_module
from index.ranking.rerank import RerankConfig
from index.ranking.rerank_combine import FEATURES
from index.semantic.mixing import FEATURES as SEMANTIC
from index.semantic.mixing import SemanticConfig


def _module(names: tuple[str, ...], weights: np.ndarray) -> dict[str, object]:
    learned = Collection("wikiqa-train article", "map", (), names, "article")
    text = constants_module(names, config_weights(names, weights), ["learn", "--x"], [learned], "s")
    namespace: dict[str, object] = {}
    exec(compile(text, "learned_weights.py", "exec"), namespace)
    return namespace


def test_lexical_weights_read_back_as_the_rerankers_levers() -> None:
    weights = np.linspace(0.1, 1.0, len(FEATURES))
    module = _module(FEATURES, weights)
    assert module["VERSION"] == VERSION and module["FEATURES"] == FEATURES
    levers = module["WEIGHTS"]
    assert isinstance(levers, dict) and "bm25" not in levers
    config = RerankConfig(**levers)
    at = {name: round(float(w), 4) for name, w in zip(FEATURES, weights, strict=True)}
    assert config.coverage == at["coverage"] and config.local == at["local"]
    assert config.answer_value == at["answer_value"]


def test_semantic_weights_read_back_as_the_semantic_terms() -> None:
    names = (*FEATURES, *SEMANTIC)
    module = _module(names, np.arange(len(names), dtype=np.float64))
    semantic = module["WEIGHTS"]
    assert isinstance(semantic, dict)
    config = SemanticConfig(**semantic, levers=tuple(dict(module["LEVERS"]).items()))  # type: ignore[call-overload]
    first = float(len(FEATURES))
    assert (config.weight, config.article, config.raw) == (first, first + 1, first + 2)
    assert dict(config.levers)["local"] == 1.0


def test_the_module_says_how_it_was_made_in_lines_that_fit() -> None:
    learned = Collection("squad-dev open", "p@1", (), FEATURES, "open")
    command = ["learn", "../shared/eval", "--only", "squad-dev open", *["--strengths", "0.001"] * 9]
    weights = config_weights(FEATURES, np.ones(len(FEATURES)))
    text = constants_module(FEATURES, weights, command, [learned], "softmax loss")
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "'squad-dev open'" in text and "squad-dev open (0 questions)" in text
