"""Examples collected as qabot eval asks: ranked by the shipped weights, the same figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import numpy as np
import pytest

from bench.learn_weights import shipped_weights
from bench.learning_data import SetSpec, collect
from bench.learning_store import load_collections, save_collections
from bench.ranking_model import figures
from index import DEFAULT_RERANK, build_eval_index, evaluate, metrics, read_articles, read_questions
from index.ranking.rerank_combine import feature_weights

ARTICLES = [
    ("v", "Volcanoes", "Etna is a volcano in Sicily. It erupted in 2021. Vesuvius destroyed "
     "Pompeii. Pompeii was a Roman town. Lava is hot rock."),
    ("r", "Rivers", "The Nile flows north. The Amazon carries the most water. Boats sail."),
]  # fmt: skip
QUESTIONS = [
    ("q1", "v", "Which town did Vesuvius destroy?", "Pompeii was"),
    ("q2", "v", "When did it erupt?", "2021"),
    ("q3", "r", "Which river carries the most water?", "Amazon"),
    ("q4", "r", "Where do boats go?", "Boats"),
]


@pytest.fixture(scope="module")
def prefix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("set")
    articles = [{"id": i, "title": t, "text": x} for i, t, x in ARTICLES]
    texts = {i: x for i, _, x in ARTICLES}
    questions = []
    for qid, article, question, answer in QUESTIONS:
        start = texts[article].index(answer)
        span = {"text": answer, "start": start, "end": start + len(answer)}
        questions.append(
            {"id": qid, "article_id": article, "question": question, "answers": [span]}
        )
    for name, rows in (("articles", articles), ("questions", questions)):
        lines = "".join(json.dumps(row) + "\n" for row in rows)
        (folder / f"tiny-{name}.jsonl").write_text(lines, encoding="utf-8")
    return folder / "tiny"


def test_ranked_by_the_shipped_weights_the_examples_give_qabot_evals_figures(prefix: Path) -> None:
    spec = SetSpec("tiny", prefix, (("open", "p@1"), ("article", "map")))
    collections = collect(spec, None, prefix.parent, None)
    searcher = build_eval_index(read_articles(Path(f"{prefix}-articles.jsonl")))
    # The features are the first pass's: the feedback pass (round 8) comes after them.
    searcher.rerank = DEFAULT_RERANK.without("feedback")
    gold = read_questions(Path(f"{prefix}-questions.jsonl"))
    modes: tuple[Literal["open", "article"], ...] = ("open", "article")
    for collection, mode in zip(collections, modes, strict=True):
        expected = metrics(evaluate(searcher, gold, mode))
        found = figures(collection.examples, shipped_weights(collection.names, mode))
        assert (found.p_at_1, found.mrr, found.mean_ap) == pytest.approx(
            (expected.p_at_1, expected.mrr, expected.mean_ap)
        )
        assert all(e.correct.sum() + len(e.later) == e.relevant for e in collection.examples)
    assert (
        shipped_weights(collections[0].names, "open").tolist()
        == feature_weights(DEFAULT_RERANK).tolist()
    )


def test_collections_are_kept_and_read_back(prefix: Path, tmp_path: Path) -> None:
    collections = collect(SetSpec("tiny", prefix, (("article", "map"),)), None, tmp_path, None)
    save_collections(tmp_path / "kept.npz", collections)
    (again,) = load_collections(tmp_path / "kept.npz")
    (original,) = collections
    assert (again.name, again.measure, again.names) == (original.name, "map", original.names)
    for a, b in zip(again.examples, original.examples, strict=True):
        np.testing.assert_array_equal(a.table, b.table)
        assert (a.group, a.later, a.relevant, a.depth) == (b.group, b.later, b.relevant, b.depth)
        assert a.ids.tolist() == b.ids.tolist() and a.correct.tolist() == b.correct.tolist()
