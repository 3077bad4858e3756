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

from index.records import ALSO_IN_LISTED, DocumentInfo


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


def distinct_among(
    order: Sequence[tuple[int, float]],
    wanted: int,
    keys_of: Callable[[list[int]], list[int]],
) -> list[Shown]:
    """:func:`distinct` over twice as many of ``order`` as wanted, or further down when
    copies took more places than that (a wire story kept from many sites); ``keys_of``
    gives the sentence keys of a list of ids, read only as far as needed."""
    near = order[: 2 * wanted]
    keys = keys_of([sentence_id for sentence_id, _ in near])
    shown = distinct(near, keys, wanted)
    if len(shown) == wanted or len(order) == len(near):
        return shown
    keys += keys_of([sentence_id for sentence_id, _ in order[len(near) :]])
    return distinct(order, keys, wanted)


def also_in(
    shown: Sequence[Shown],
    numbers_of: Callable[[list[int]], list[int]],
    document: Callable[[int], DocumentInfo],
    listed: int = ALSO_IN_LISTED,
) -> list[tuple[tuple[DocumentInfo, ...], int]]:
    """For each shown sentence, the other documents holding its repeats: the first
    ``listed`` (each once, in the repeats' order) and how many there are in all.
    ``numbers_of`` gives the document numbers of a list of sentence ids (one call for
    every hit), ``document`` the document of a number (only for those listed)."""
    ids = [i for each in shown for i in (each.sentence_id, *each.repeats)]
    numbers = iter(numbers_of(ids) if any(each.repeats for each in shown) else [-1] * len(ids))
    found = []
    for each in shown:
        own = next(numbers)
        others = dict.fromkeys(n for n in (next(numbers) for _ in each.repeats) if n != own)
        named = tuple(document(n) for n in list(others)[:listed])
        found.append((named, len(others)))
    return found
