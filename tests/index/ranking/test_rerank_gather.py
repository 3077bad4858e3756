"""The re-ranker's first compiled pass: its evidence is what the postings rows hold."""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking import kernels
from index.ranking.rerank_gather import Cues, Evidence, IndexArrays, gather
from index.ranking.rescoring import Places


def _arrays(rows: list[list[int]], doc_first: list[int], n: int) -> IndexArrays:
    indptr = np.cumsum([0, *map(len, rows)]).astype(np.int64)
    total = int(indptr[-1])
    return IndexArrays(
        *(
            kernels.read_only(a)
            for a in (
                indptr,
                np.array([s for row in rows for s in row], dtype=np.int32),
                (np.arange(total) % 3 + 1).astype(np.uint16),
                (np.arange(n) % 5 + 1).astype(np.int32),
                (np.arange(total) % 7).astype(np.uint8),
                np.array(doc_first, dtype=np.int64),
                (np.arange(n) % 2).astype(np.uint8),
                np.zeros(n + 1, dtype=np.int64),
                np.zeros(0, dtype=np.int64),
                _leads(doc_first),
            )
        )
    )


def _leads(doc_first: list[int]) -> npt.NDArray[np.int64]:
    """Each document's second sentence (its first when it has one only) as its lead."""
    pairs = itertools.pairwise(doc_first)
    return np.array([min(lo + 1, hi - 1) for lo, hi in pairs], dtype=np.int64)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 29), max_size=12, unique=True), min_size=1, max_size=4),
    st.lists(st.integers(0, 29), min_size=1, max_size=8),
    st.lists(st.integers(1, 29), max_size=4, unique=True),
)
def test_gather_reports_what_the_rows_hold(
    rows: list[list[int]], candidates: list[int], cuts: list[int]
) -> None:
    rows = [sorted(row) for row in rows]
    doc_first = [0, *sorted(cuts), 30]
    arrays = _arrays(rows, doc_first, 30)
    terms = np.array([*range(len(rows)), -1], dtype=np.int64)  # the last term is unknown
    ids = np.array(candidates, dtype=np.int64)
    k1, b, avgdl = 1.2, 0.75, 3.0
    found = gather(arrays, ids, terms, Cues(0, np.zeros(0, dtype=np.int64), 0), k1, b, avgdl)
    for c, sid in enumerate(candidates):
        doc = max(d for d, first in enumerate(doc_first[:-1]) if first <= sid)
        lo, hi = doc_first[doc], doc_first[doc + 1]
        assert (found.doc[c], found.doc_size[c]) == (doc, hi - lo)
        assert found.opening[c] == (sid == lo) and found.next_in_doc[c] == (sid + 1 < hi)
        assert found.lead[c] == (sid == min(lo + 1, hi - 1))
        assert found.led[c] == bool(sid % 2) and found.next_led[c] == bool(min(sid + 1, 29) % 2)
        for t, row in enumerate(rows):
            at = int(arrays.indptr[t]) + row.index(sid) if sid in row else -1
            weight = 0.0
            if at >= 0:
                tf, length = float(arrays.term_freqs[at]), float(arrays.lengths[sid])
                weight = tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avgdl))
            assert found.weight[c, t] == weight
            assert found.position[c, t] == (arrays.firsts[at] if at >= 0 else -1)
            assert found.before[c, t] == (sid - 1 in row)
            assert found.article_df[c, t] == sum(lo <= s < hi for s in row)
        assert found.position[c, -1] == -1 and found.article_df[c, -1] == 0


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 29), max_size=12, unique=True), min_size=1, max_size=4),
    st.lists(st.integers(0, 29), min_size=1, max_size=8),
    st.lists(st.integers(1, 29), max_size=4, unique=True),
    st.integers(0, 8),
    st.lists(st.integers(-1, 3), min_size=1, max_size=5),
    st.booleans(),
)
def test_places_known_give_the_evidence_searching_gives(
    rows: list[list[int]],
    candidates: list[int],
    cuts: list[int],
    known: int,
    placed: list[int],
    other_first: bool,
) -> None:
    """Places read for the first ``known`` candidates (rows ``placed`` of the index, in
    any order, some unknown or absent) change nothing; a candidate whose place is for
    another sentence is searched for."""
    rows = [sorted(row) for row in rows]
    arrays = _arrays(rows, [0, *sorted(cuts), 30], 30)
    terms = np.array([*range(len(rows)), -1], dtype=np.int64)
    ids = np.array(candidates, dtype=np.int64)
    cues = Cues(0, np.zeros(0, dtype=np.int64), 0)
    placed_terms = np.array([t if t < len(rows) else -1 for t in placed], dtype=np.int64)
    placed_ids = np.array(
        [*candidates[:known], *([29] * (known > len(candidates)))], dtype=np.int64
    )
    if other_first and placed_ids.shape[0]:  # the place of a sentence not asked about
        placed_ids[0] = (placed_ids[0] + 7) % 30
    at = np.full((placed_ids.shape[0], placed_terms.shape[0]), -1, dtype=np.int64)
    for j, term in enumerate(placed_terms.tolist()):
        if term >= 0:
            row = arrays.sentence_ids[arrays.indptr[term] : arrays.indptr[term + 1]]
            at[:, j] = np.searchsorted(row, placed_ids) + arrays.indptr[term]
    places = Places(placed_ids, placed_terms, at)
    searched = gather(arrays, ids, terms, cues, 1.2, 0.75, 3.0)
    read = gather(arrays, ids, terms, cues, 1.2, 0.75, 3.0, places)
    for name in Evidence.__dataclass_fields__:
        assert np.array_equal(getattr(read, name), getattr(searched, name)), name
