"""Kernels: compiled by numba by default, run as Python once interpreted, same results."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest

from index import jit
from index.jit import kernel
from index.records import Answer
from index.service.opened_index import OpenedIndex
from index.service.opening import open_index
from index.service.searcher import Searcher
from tests.conftest import EVAL_ARTICLES
from tests.test_seed_questions import GOLDEN

Floats = npt.NDArray[np.float64]


@kernel
def _square(x: float) -> float:
    return x * x


@kernel
def _sum_of_squares(values: Floats) -> float:
    total = 0.0
    for value in values:
        total += _square(value)  # a kernel calling a kernel
    return total


@kernel
def _count(items: dict[str, object]) -> int:
    """Numba cannot type a Python dict; Python can count it."""
    return len(items)


@pytest.fixture
def interpreted() -> Iterator[None]:
    jit.interpret_kernels()
    yield
    jit.compile_kernels()


def test_compiled_by_default_and_a_kernel_may_call_another() -> None:
    assert not jit.kernels_interpreted()
    assert _sum_of_squares(np.array([1.0, 2.0, 3.0])) == 14.0
    # Compiled (or loaded from numba's cache, which links the callee in without compiling
    # its own dispatcher: so only the caller's signature is certain).
    assert _sum_of_squares.compiled().signatures  # type: ignore[attr-defined]


def test_what_numba_cannot_compile_fails_compiled() -> None:
    with pytest.raises(Exception, match=r"(?i)typ"):
        _count({"one": 1, "two": "2"})


def test_interpreted_kernels_run_as_python(interpreted: None) -> None:
    assert jit.kernels_interpreted()
    assert _count({"one": 1, "two": "2"}) == 2  # numba could not have run this
    assert _sum_of_squares(np.array([1.0, 2.0, 3.0])) == 14.0


def test_compile_kernels_undoes_interpret() -> None:
    jit.interpret_kernels()
    jit.compile_kernels()
    assert not jit.kernels_interpreted()


def test_a_kernel_keeps_the_name_and_docstring_of_its_function() -> None:
    assert _count.__name__ == "_count"
    assert _count.__doc__ is not None and "Numba" in _count.__doc__
    assert "test_jit._count" in repr(_count)


def _answers(searcher: Searcher, questions: list[str], doc_id: str | None) -> list[Answer]:
    """Each question answered k=5 (as a user asks), then k=20 (deeper in the pool)."""
    asked = itertools.product(questions, (5, 20))
    return [searcher.search(q, k, doc_id=doc_id, min_confidence=0.0) for q, k in asked]


def _both_ways(searcher: Searcher, questions: list[str], doc_id: str | None = None) -> None:
    compiled = _answers(searcher, questions, doc_id)
    jit.interpret_kernels()
    try:
        interpreted = _answers(searcher, questions, doc_id)
    finally:
        jit.compile_kernels()
    assert sum(len(answer.hits) for answer in compiled) > len(questions)  # not all empty
    assert interpreted == compiled  # same sentences, scores, highlights, confidences


# Typos take the did-you-mean path (the spelling kernels), quotes the phrase path.
ODD_QUESTIONS = ["Wat did teh Pentagon sya?", '"air safety" talks', "Kery Lavrov telephone"]


def test_the_seed_questions_get_the_same_answers_interpreted(seed_index: OpenedIndex) -> None:
    questions = [question for question, _ in GOLDEN] + ODD_QUESTIONS
    _both_ways(seed_index.searcher, questions)
    (doc_id,) = {hit.document.doc_id for hit in seed_index.searcher.search("Pentagon").hits}
    _both_ways(seed_index.searcher, questions, doc_id)  # article mode: every sentence ranked


def _squad_articles() -> list[str]:
    return EVAL_ARTICLES.read_text(encoding="utf-8").splitlines()[:12]


@pytest.fixture(scope="module")
def squad_index(tmp_path_factory: pytest.TempPathFactory) -> OpenedIndex:
    if not EVAL_ARTICLES.exists():
        pytest.skip(f"evaluation data not found at {EVAL_ARTICLES} (only CI has ../shared)")
    corpus = tmp_path_factory.mktemp("squad-corpus")
    text = "\n".join(_squad_articles()) + "\n"
    (corpus / "articles.jsonl").write_text(text, encoding="utf-8")
    return open_index(corpus, tmp_path_factory.mktemp("squad-index"))


def test_squad_questions_get_the_same_answers_interpreted(squad_index: OpenedIndex) -> None:
    path = EVAL_ARTICLES.with_name("squad-dev-questions.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    articles = {json.loads(line)["id"] for line in _squad_articles()}
    questions = [record["question"] for record in records if record["article_id"] in articles]
    questions = questions[::8][:60]
    _both_ways(squad_index.searcher, questions)
