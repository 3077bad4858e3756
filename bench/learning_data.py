"""Ranked examples for learning the re-ranker's weights (``bench/learn_weights.py``).

Each question of a set is asked as ``qabot eval`` asks it (open mode: the best
``OPEN_DEPTH`` of the whole index; article mode: every sentence of its article),
and :meth:`index.Searcher.features` gives the features of the candidates the
re-ranker weighs, beside which of them are correct. With the semantic extra, every
sentence is embedded as qabot embeds it, kept in a vector store under ``cache`` (so
``qabot eval --vectors`` on the same folder ranks with the very same vectors), and
each question alone, as ``qabot eval`` embeds it, kept beside them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index import (
    Embedder,
    GoldQuestion,
    Searcher,
    SentenceEmbedding,
    build_eval_index,
    correct_sentences,
    read_articles,
    read_questions,
    read_split,
)

OPEN_DEPTH = 100  # as index.service.evaluation ranks open mode
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Example:
    """One question's ranking: the features of the candidates re-ranked (``table``, with
    their ``ids`` for ties) and which are ``correct``; ``later``: the ranks of the correct
    sentences ranked after them; ``relevant``: its article's correct sentences; ``depth``:
    how many ranks are counted; ``group``: its article (folds keep an article whole)."""

    group: str
    ids: Ints
    table: Floats
    correct: npt.NDArray[np.bool_]
    later: tuple[int, ...]
    relevant: int
    depth: int


@dataclass(frozen=True, eq=False)
class Collection:
    """The examples of one set asked in one ``mode`` ("open" or "article"), the figure it
    is judged by and the names of the features."""

    name: str
    measure: str  # "map" or "p@1"
    examples: tuple[Example, ...]
    names: tuple[str, ...]
    mode: str


@dataclass(frozen=True, slots=True)
class SetSpec:
    """A set to learn from: ``prefix``-articles.jsonl and -questions.jsonl, the split part
    to keep (SQuAD), its modes and the figure each mode is judged by."""

    name: str
    prefix: Path
    modes: tuple[tuple[str, str], ...]
    part: str | None = None


def training_sets(eval_dir: Path, trecqa_train: Path) -> list[SetSpec]:
    """WikiQA train, TrecQA train (``trecqa_train``: a shuffled copy, see
    bench/shuffled_candidates.py) and the SQuAD dev half in both modes."""
    return [
        SetSpec("wikiqa-train", eval_dir / "wikiqa-train", (("article", "map"),)),
        SetSpec("trecqa-train-shuffled", trecqa_train, (("article", "map"),)),
        SetSpec("squad-dev", eval_dir / "squad-dev", (("open", "p@1"), ("article", "p@1")), "dev"),
    ]


def held_out_sets(eval_dir: Path, trecqa_dev: Path) -> list[SetSpec]:
    """The dev halves of WikiQA and TrecQA (``trecqa_dev``: a shuffled copy; and as
    distributed), only ever ranked, never learned from."""
    return [
        SetSpec("wikiqa-dev", eval_dir / "wikiqa-dev", (("article", "map"),)),
        SetSpec("trecqa-dev-shuffled", trecqa_dev, (("article", "map"),)),
        SetSpec("trecqa-dev", eval_dir / "trecqa-dev", (("article", "map"),)),
    ]


class QuestionVectors:
    """An embedder for questions that embeds each one alone (as ``qabot eval`` does) and
    keeps every vector in ``path`` (``.npy`` with a ``.json`` list of the texts)."""

    def __init__(self, embedder: Embedder, path: Path) -> None:
        self.embedder = embedder
        self.name, self.dimension = embedder.name, embedder.dimension
        self._path = path
        self._known: dict[str, npt.NDArray[np.float32]] = {}
        if path.is_file():
            texts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            self._known = dict(zip(texts, np.load(path, allow_pickle=False), strict=True))

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One unit vector per text (those not kept yet are embedded one by one)."""
        for text in texts:
            if text not in self._known:
                self._known[text] = self.embedder.embed([text])[0]
        return np.stack([self._known[text] for text in texts])

    def save(self) -> None:
        """Keep every vector embedded so far."""
        texts = list(self._known)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        np.save(self._path, np.stack([self._known[t] for t in texts]), allow_pickle=False)
        self._path.with_suffix(".json").write_text(json.dumps(texts), encoding="utf-8")


def question_vectors(embedder: Embedder, cache: Path) -> QuestionVectors:
    """The question vectors of ``embedder`` kept under ``cache``."""
    name = hashlib.sha256(embedder.name.encode()).hexdigest()[:16]
    return QuestionVectors(embedder, cache / f"questions-{name}.npy")


def collect(
    spec: SetSpec, embedder: Embedder | None, cache: Path, asked: QuestionVectors | None
) -> list[Collection]:
    """The examples of ``spec``, one collection per mode (semantic features too when an
    ``embedder`` is given)."""
    documents = read_articles(Path(f"{spec.prefix}-articles.jsonl"))
    questions = read_questions(Path(f"{spec.prefix}-questions.jsonl"))
    if spec.part is not None:
        keep = read_split(spec.prefix.parent / "squad-split.json", spec.part)
        questions = [q for q in questions if q.article_id in keep]
    searcher = build_eval_index(documents)
    if embedder is not None and asked is not None:
        embedding = SentenceEmbedding(searcher.index, cache, embedder)
        embedding.fill()
        embedding.attach(searcher)
        asked.embed(sorted({q.question for q in questions}))
        asked.save()
        embedding.ranker.embedder = asked  # each question's vector as qabot eval makes it
    sizes = {
        doc.doc_id: len(searcher.index.table.doc_range(at))
        for at, doc in enumerate(searcher.documents)
    }
    collections = []
    for mode, measure in spec.modes:
        examples = [_example(searcher, gold, mode, sizes) for gold in questions]
        kept = tuple(e for e in examples if e is not None)
        names = searcher.features(questions[0].question, 1).names
        collections.append(Collection(f"{spec.name} {mode}", measure, kept, names, mode))
    return collections


def _example(
    searcher: Searcher, gold: GoldQuestion, mode: str, sizes: dict[str, int]
) -> Example | None:
    correct = correct_sentences(searcher, gold)
    if not correct:
        return None  # left out of every figure, as qabot eval leaves it
    if mode == "open":
        depth, doc_id = OPEN_DEPTH, None
    else:
        depth, doc_id = sizes[gold.article_id], gold.article_id
    found = searcher.features(gold.question, depth, doc_id=doc_id)
    head = len(found.ids)
    later = tuple(head + r for r, i in enumerate(found.rest.tolist(), start=1) if i in correct)
    flags = np.array([i in correct for i in found.ids.tolist()], dtype=np.bool_)
    return Example(gold.article_id, found.ids, found.table, flags, later, len(correct), depth)
