"""The same sentence in several articles, quoted once.

A wire story runs on many sites, and one article can be kept twice (added by link and
then from a feed under another address). Without this an answer could quote one
sentence three times and push the other answers off the page. Sentences whose words
are the same (case, spacing and punctuation aside) count as one: the best ranked is
shown, and its hit cites the others' articles (``Hit.also_in``). Which sentences are
the same is a lookup of the keys stored at build time
(``index.terms.sentence_keys``), not a read of their texts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.records import DocumentInfo


@dataclass(frozen=True, slots=True)
class Shown:
    """A sentence to show, its score, and the ids of the ranked sentences repeating it."""

    sentence_id: int
    score: float
    repeats: tuple[int, ...] = ()


def distinct(order: Sequence[tuple[int, float]], keys: Sequence[int], wanted: int) -> list[Shown]:
    """The first ``wanted`` distinct sentences of ``order`` (ids and scores, best first),
    each with the later sentences of ``order`` that repeat it; ``keys``: each one's
    sentence key, in the same order."""
    shown: dict[int, tuple[float, list[int]]] = {}
    first: dict[int, int] = {}
    for (sentence_id, score), key in zip(order, keys, strict=True):
        if key in first:
            shown[first[key]][1].append(sentence_id)
        elif len(shown) < wanted:
            shown[sentence_id] = (score, [])
            first[key] = sentence_id
    return [Shown(i, score, tuple(repeats)) for i, (score, repeats) in shown.items()]


def also_in(
    repeats: Sequence[tuple[int, ...]],
    documents: Sequence[DocumentInfo],
    documents_of: Callable[[list[int]], list[DocumentInfo]],
) -> list[tuple[DocumentInfo, ...]]:
    """For each shown sentence (in ``documents``), the other documents holding its
    ``repeats``, each once; ``documents_of`` gives the documents of a list of ids."""
    ids = [i for each in repeats for i in each]
    found = iter(documents_of(ids) if ids else [])
    also = []
    for each, own in zip(repeats, documents, strict=True):
        docs = {d.doc_id: d for d in (next(found) for _ in each) if d.doc_id != own.doc_id}
        also.append(tuple(docs.values()))
    return also
