"""Structural checks: every way an id or offset could send a kernel out of bounds is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from index.ranking.postings import row_maxima
from index.storage.builder import build_index
from index.storage.sentence_index import SentenceIndex
from index.storage.structure import check_structure
from tests.conftest import FIXTURE_CORPUS


@pytest.fixture(scope="module")
def built() -> SentenceIndex:
    return build_index(FIXTURE_CORPUS).index


def _changed(array: np.ndarray, at: int, value: Any) -> np.ndarray:
    copy = np.array(array)
    copy[at] = value
    return copy


def _postings(**changes: Any) -> Callable[[SentenceIndex], SentenceIndex]:
    return lambda index: replace(index, postings=replace(index.postings, **changes))


def _tokens(**changes: Any) -> Callable[[SentenceIndex], SentenceIndex]:
    return lambda index: replace(index, tokens=replace(index.tokens, **changes))


def _ids(index: SentenceIndex, at: int, value: int) -> SentenceIndex:
    ids = _changed(index.postings.sentence_ids, at, value)
    return replace(index, postings=replace(index.postings, sentence_ids=ids))


def _swap_in_a_row(index: SentenceIndex) -> SentenceIndex:
    indptr = index.postings.indptr
    row = int(np.flatnonzero(np.diff(indptr) >= 2)[0])
    ids = np.array(index.postings.sentence_ids)
    lo = int(indptr[row])
    ids[lo], ids[lo + 1] = ids[lo + 1], ids[lo]
    return replace(index, postings=replace(index.postings, sentence_ids=ids))


def _weights(index: SentenceIndex, value: float) -> SentenceIndex:
    weights = _changed(index.postings.weights, 0, value)
    row_max = row_maxima(index.postings.indptr, weights)
    return replace(index, postings=replace(index.postings, weights=weights, row_max=row_max))


def _table(name: str, at: int, value: int) -> Callable[[SentenceIndex], SentenceIndex]:
    def damage(index: SentenceIndex) -> SentenceIndex:
        changes: dict[str, Any] = {name: _changed(getattr(index.table, name), at, value)}
        return replace(index, table=replace(index.table, **changes))

    return damage


DAMAGE: dict[str, Callable[[SentenceIndex], SentenceIndex]] = {
    "id past the end": lambda index: _ids(index, -1, len(index)),
    "huge id": lambda index: _ids(index, 0, 2**30),
    "negative id": lambda index: _ids(index, 3, -5),
    "row out of order": _swap_in_a_row,
    "term frequency 0": lambda index: replace(
        index,
        postings=replace(
            index.postings, term_freqs=_changed(index.postings.stored_term_freqs(), 2, 0)
        ),
    ),
    "NaN weight": lambda index: _weights(index, float("nan")),
    "infinite weight": lambda index: _weights(index, float("inf")),
    "negative weight": lambda index: _weights(index, -1.0),
    "row maximum too low": lambda index: _postings(
        row_max=np.zeros_like(index.postings.row_maxima())
    )(index),
    "negative length": lambda index: _postings(lengths=_changed(index.postings.lengths, 0, -1))(
        index
    ),
    "indptr decreasing": lambda index: _postings(indptr=_changed(index.postings.indptr, 1, 10**6))(
        index
    ),
    "indptr past the postings": lambda index: _postings(
        indptr=_changed(index.postings.indptr, -1, 10**9)
    )(index),
    "doc_first decreasing": _table("doc_first", 0, 5),
    "doc_first past the sentences": _table("doc_first", -1, 10**6),
    "text offsets past the texts": _table("text_offsets", -1, 10**9),
    "text offsets decreasing": _table("text_offsets", 1, 10**6),
    "sentence ends before it starts": _table("end", 0, -1),
    "cue offsets past the codes": lambda index: replace(
        index, facts=replace(index.facts, cue_indptr=_changed(index.facts.cue_indptr, -1, 10**6))
    ),
    "too few flags": lambda index: replace(
        index, facts=replace(index.facts, flags=index.facts.flags[:-1])
    ),
    "too few sentence keys": lambda index: replace(
        index, facts=replace(index.facts, text_keys=index.facts.text_keys[:-1])
    ),
    "too few lengths": lambda index: _postings(lengths=index.postings.lengths[:-1])(index),
    "token offsets past the tokens": lambda index: _tokens(
        indptr=_changed(index.tokens.indptr, -1, 10**9)
    )(index),
    "too few token ends": lambda index: _tokens(ends=index.tokens.ends[:-1])(index),
    "tokens disagree with the lengths": lambda index: _tokens(
        indptr=_changed(index.tokens.indptr, 1, int(index.tokens.indptr[1]) + 1)
    )(index),
}


def test_a_built_index_passes(built: SentenceIndex) -> None:
    check_structure(built.table, built.postings, built.facts, built.tokens)


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_is_refused(
    built: SentenceIndex, damage: Callable[[SentenceIndex], SentenceIndex]
) -> None:
    damaged = damage(built)
    with pytest.raises(ValueError, match=r"\.npy"):
        check_structure(damaged.table, damaged.postings, damaged.facts, damaged.tokens)
