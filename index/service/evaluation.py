"""The answer-quality harness: P@1, MRR@k, R@5 and MAP of the ranked sentences.

A question's gold is a set of answer spans in its article's text. A returned
sentence is correct when it comes from the question's article and its span
covers the start of any gold answer (the ReQA sentence-retrieval protocol).
``open`` mode ranks the sentences of every indexed article (the best
``OPEN_DEPTH``); ``article`` mode every sentence of the question's own article,
as ``/ask article:`` does. Answer-sentence selection sets (TrecQA, WikiQA) are
asked in article mode: each question's article is its candidate sentences.

A question none of whose article's sentences is correct is left out of every
figure and counted apart (``excluded``), as TrecQA and WikiQA are usually scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from index.articles.jsonl import parse_jsonl
from index.articles.sentences import SentenceSplitter
from index.errors import EvaluationDataError
from index.ranking.bm25 import BM25Params
from index.ranking.rerank import DEFAULT_RERANK, Mixed, RerankConfig
from index.records import Document, Span
from index.service.searcher import Searcher
from index.storage.builder import index_documents
from index.storage.sentence_table import SentenceTable

Mode = Literal["open", "article"]
MODES: tuple[Mode, ...] = ("open", "article")
PARTS = ("dev", "test")
# How deep open mode ranks; a correct sentence below this counts 0 in MAP (as in trec_eval).
OPEN_DEPTH = 100


@dataclass(frozen=True, slots=True)
class GoldQuestion:
    """A question, the article it is about and where its answers start and end."""

    question_id: str
    article_id: str
    question: str
    answers: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one question went: the ranks (from 1, ascending) of its correct sentences among
    those ranked, and how many of its article's sentences are correct (0: none is)."""

    question: GoldQuestion
    hit_ranks: tuple[int, ...]
    relevant: int
    top_text: str | None  # None: no sentence shown (all withheld)

    @property
    def first_hit(self) -> int | None:
        """The rank of the first correct sentence, ``None`` when none was ranked."""
        return self.hit_ranks[0] if self.hit_ranks else None

    @property
    def average_precision(self) -> float:
        """Precision at each correct sentence's rank, averaged over all correct sentences
        (one never ranked counts 0)."""
        if not self.relevant:
            return 0.0
        found = enumerate(self.hit_ranks, start=1)
        return sum(count / rank for count, rank in found) / self.relevant


@dataclass(frozen=True, slots=True)
class Metrics:
    """The figures of a run, over ``questions`` questions (``excluded`` had no correct
    sentence); ``answered`` is the share of them shown any sentence at all."""

    questions: int
    p_at_1: float
    mrr: float
    r_at_5: float
    k: int
    mean_ap: float = 0.0
    excluded: int = 0
    answered: float = 1.0

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` shape."""
        return {
            "questions": self.questions,
            "p@1": round(self.p_at_1, 4),
            f"mrr@{self.k}": round(self.mrr, 4),
            "r@5": round(self.r_at_5, 4),
            "map": round(self.mean_ap, 4),
            "answered": round(self.answered, 4),
            "excluded": self.excluded,
        }


def read_articles(path: Path) -> list[Document]:
    """The articles of a JSONL file; a bad line is an error here, not a warning."""
    try:
        with path.open("rb") as handle:
            items = list(parse_jsonl(str(path), handle))
    except RecursionError:
        raise EvaluationDataError(f"{path}: a line is nested too deeply to read") from None
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
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                where = f"{path}:{number}"
                questions.append(_gold(_json(line, where), where))
    return questions


def _json(raw: bytes | str, where: str) -> Any:
    """One JSON document, or an :class:`EvaluationDataError` naming ``where`` it failed."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise EvaluationDataError(f"{where}: nested too deeply to read") from None
    except UnicodeDecodeError as error:
        raise EvaluationDataError(f"{where}: not UTF-8 text ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise EvaluationDataError(f"{where}: not valid JSON ({error.msg})") from None


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
    data = _json(path.read_bytes(), str(path))
    if not isinstance(data, dict) or not isinstance(data.get(part), list):
        raise EvaluationDataError(f"{path}: no {part!r} list of article ids")
    return frozenset(str(article) for article in data[part])


def build_eval_index(
    documents: Sequence[Document],
    params: BM25Params = BM25Params(),
    rerank: RerankConfig | None = DEFAULT_RERANK,
    mixed: Sequence[Mixed] = (),
) -> Searcher:
    """A searcher over an in-memory index of ``documents``, with Punkt trained on them as
    ``qabot`` does, re-ranking with ``rerank`` (``None``: plain BM25 order) and the
    ``mixed`` scorers."""
    splitter = SentenceSplitter.train(doc.text for doc in documents)
    return Searcher(index_documents(documents, splitter, params), rerank=rerank, mixed=mixed)


def evaluate(
    searcher: Searcher,
    questions: Iterable[GoldQuestion],
    mode: Mode,
    k: int = 10,
    min_confidence: float = 0.0,
) -> list[Outcome]:
    """Ask every question and note where its correct sentences rank: in open mode among the
    best ``max(k, OPEN_DEPTH)`` sentences, in article mode among all of its article's.
    Sentences below ``min_confidence`` are withheld, as ``qabot ask`` withholds them."""
    outcomes = []
    articles = {
        doc.doc_id: searcher.index.table.doc_range(at) for at, doc in enumerate(searcher.documents)
    }
    for gold in questions:
        sentences = articles.get(gold.article_id, range(0))
        correct = _correct_sentences(searcher.index.table, gold, sentences)
        if mode == "open":
            depth, doc_id = max(k, OPEN_DEPTH), None
        else:
            depth, doc_id = len(sentences), gold.article_id
        ranked: Sequence[int] = ()
        if depth:  # an article the index lacks has no sentence to rank
            ranked = searcher.rank(
                gold.question, depth, doc_id=doc_id, min_confidence=min_confidence
            )
        outcomes.append(_outcome(searcher, gold, ranked, correct))
    return outcomes


def correct_sentences(searcher: Searcher, gold: GoldQuestion) -> frozenset[int]:
    """The ids of the sentences of ``gold``'s article that cover an answer's start (none
    when the index lacks the article)."""
    found = searcher.parts.find(gold.article_id)
    if found is None:
        return frozenset()
    part, position = found
    ids = part.index.table.doc_range(position)
    offset = part.first_sentence
    local = _correct_sentences(part.index.table, gold, ids)
    return frozenset(i + offset for i in local)


def _correct_sentences(table: SentenceTable, gold: GoldQuestion, ids: range) -> frozenset[int]:
    """The ids among ``ids`` (its article's) of the sentences that cover an answer's start."""
    if not ids or not gold.answers:
        return frozenset()
    starts = np.asarray(table.start[ids.start : ids.stop])
    ends = np.asarray(table.end[ids.start : ids.stop])
    answers = np.array([span.start for span in gold.answers])[:, None]
    covers = ((starts <= answers) & (answers < ends)).any(axis=0)
    return frozenset((ids.start + np.flatnonzero(covers)).tolist())


def _outcome(
    searcher: Searcher, gold: GoldQuestion, ranked: Sequence[int], correct: frozenset[int]
) -> Outcome:
    top = searcher.index.table.text(ranked[0]) if ranked else None
    ranks = tuple(rank for rank, i in enumerate(ranked, start=1) if i in correct)
    return Outcome(gold, ranks, len(correct), top)


def metrics(outcomes: Sequence[Outcome], k: int = 10) -> Metrics:
    """P@1, MRR@k, R@5 and MAP over the ``outcomes`` with a correct sentence."""
    scored = [o for o in outcomes if o.relevant]
    count, excluded = len(scored), len(outcomes) - len(scored)
    if count == 0:
        return Metrics(0, 0.0, 0.0, 0.0, k, excluded=excluded)
    ranks = [o.first_hit for o in scored]
    return Metrics(
        questions=count,
        p_at_1=sum(r == 1 for r in ranks) / count,
        mrr=sum(1.0 / r for r in ranks if r is not None and r <= k) / count,
        r_at_5=sum(r is not None and r <= 5 for r in ranks) / count,
        k=k,
        mean_ap=sum(o.average_precision for o in scored) / count,
        excluded=excluded,
        answered=sum(o.top_text is not None for o in scored) / count,
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
