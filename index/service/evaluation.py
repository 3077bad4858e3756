"""The answer-quality harness: P@1, MRR@k and R@5 of the top sentences on gold questions.

A question's gold is a set of answer spans in its article's text. A returned
sentence is a hit when it comes from the question's article and its span
covers the start of any gold answer (the ReQA sentence-retrieval protocol).
``open`` mode ranks the sentences of every indexed article; ``article`` mode
only the question's own article, as ``/ask article:`` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from index.articles.jsonl import parse_jsonl
from index.articles.sentences import SentenceSplitter
from index.errors import EvaluationDataError
from index.ranking.bm25 import BM25Params
from index.ranking.rerank import DEFAULT_RERANK, RerankConfig
from index.records import Answer, Document, Span
from index.service.searcher import Searcher
from index.storage.builder import index_documents

Mode = Literal["open", "article"]
MODES: tuple[Mode, ...] = ("open", "article")
PARTS = ("dev", "test")


@dataclass(frozen=True, slots=True)
class GoldQuestion:
    """A question, the article it is about and where its answers start and end."""

    question_id: str
    article_id: str
    question: str
    answers: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one question went: the rank of its first correct sentence (``None``: not in top k)."""

    question: GoldQuestion
    first_hit: int | None
    top_text: str | None


@dataclass(frozen=True, slots=True)
class Metrics:
    """The three figures of a run, over ``questions`` questions."""

    questions: int
    p_at_1: float
    mrr: float
    r_at_5: float
    k: int

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` shape."""
        return {
            "questions": self.questions,
            "p@1": round(self.p_at_1, 4),
            f"mrr@{self.k}": round(self.mrr, 4),
            "r@5": round(self.r_at_5, 4),
        }


def read_articles(path: Path) -> list[Document]:
    """The articles of a JSONL file; a bad line is an error here, not a warning."""
    with path.open("rb") as handle:
        items = list(parse_jsonl(str(path), handle))
    documents = [item for item in items if isinstance(item, Document)]
    bad = [item for item in items if not isinstance(item, Document)]
    if bad:
        raise EvaluationDataError(f"{bad[0]}")
    if not documents:
        raise EvaluationDataError(f"{path}: no articles")
    return documents


def read_questions(path: Path) -> list[GoldQuestion]:
    """The gold questions of a JSONL file (``id``, ``article_id``, ``question``, ``answers``)."""
    questions = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                questions.append(_gold(json.loads(line), f"{path}:{number}"))
    return questions


def _gold(record: Any, where: str) -> GoldQuestion:
    try:
        answers = tuple(Span(int(a["start"]), int(a["end"])) for a in record["answers"])
        return GoldQuestion(
            str(record["id"]), str(record["article_id"]), str(record["question"]), answers
        )
    except (KeyError, TypeError, ValueError) as error:
        raise EvaluationDataError(f"{where}: malformed question ({error!r})") from None


def read_split(path: Path, part: str) -> frozenset[str]:
    """The article ids of one part (``dev`` or ``test``) of a split file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get(part), list):
        raise EvaluationDataError(f"{path}: no {part!r} list of article ids")
    return frozenset(str(article) for article in data[part])


def build_eval_index(
    documents: Sequence[Document],
    params: BM25Params = BM25Params(),
    rerank: RerankConfig | None = DEFAULT_RERANK,
) -> Searcher:
    """A searcher over an in-memory index of ``documents``, with Punkt trained on them as
    ``qabot`` does, re-ranking with ``rerank`` (``None``: plain BM25 order)."""
    splitter = SentenceSplitter.train(doc.text for doc in documents)
    return Searcher(index_documents(documents, splitter, params), rerank=rerank)


def evaluate(
    index: Searcher, questions: Iterable[GoldQuestion], mode: Mode, k: int = 10
) -> list[Outcome]:
    """Ask every question and note where its first correct sentence ranks."""
    outcomes = []
    for gold in questions:
        doc_id = gold.article_id if mode == "article" else None
        answer = index.search(gold.question, k, doc_id=doc_id, min_confidence=0.0, spelling=False)
        outcomes.append(_outcome(gold, answer))
    return outcomes


def _outcome(gold: GoldQuestion, answer: Answer) -> Outcome:
    top = answer.hits[0].sentence.text if answer.hits else None
    for hit in answer.hits:
        sentence = hit.sentence
        if sentence.doc_id == gold.article_id and any(
            sentence.start <= span.start < sentence.end for span in gold.answers
        ):
            return Outcome(gold, hit.rank, top)
    return Outcome(gold, None, top)


def metrics(outcomes: Sequence[Outcome], k: int = 10) -> Metrics:
    """P@1, MRR@k and R@5 over ``outcomes``."""
    count = len(outcomes)
    if count == 0:
        return Metrics(0, 0.0, 0.0, 0.0, k)
    ranks = [o.first_hit for o in outcomes]
    return Metrics(
        questions=count,
        p_at_1=sum(r == 1 for r in ranks) / count,
        mrr=sum(1.0 / r for r in ranks if r is not None and r <= k) / count,
        r_at_5=sum(r is not None and r <= 5 for r in ranks) / count,
        k=k,
    )


def miss_record(outcome: Outcome, article_text: str) -> dict[str, Any]:
    """A JSON-ready line describing a question whose top sentence was wrong."""
    gold = outcome.question
    return {
        "id": gold.question_id,
        "article_id": gold.article_id,
        "question": gold.question,
        "answers": sorted({article_text[s.start : s.end] for s in gold.answers}),
        "first_hit": outcome.first_hit,
        "top": outcome.top_text,
    }
