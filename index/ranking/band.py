"""The k best sentences and every one close to them, a cache-sized window at a time.

Term at a time, scores are summed into a scratch array indexed by sentence. At a
million sentences the float32 scratch (4 MB) stays in the processor's cache and a
posting costs about 10 ns; at ten million (40 MB) every posting missed the cache,
52 ns. So the sentence ids are taken in windows of ``WINDOW``: each term's row
holds ids in ascending order, so a window's postings are a slice of every row,
and the scratch needs only a window's length: 10 ns a posting again, and a pool of
100 at ten million sentences in 2.1 ms instead of 10 (p50, best of 3, bench
questions). Each window is summed with MaxScore pruning (see
``index.ranking.kernels``); its candidates go into one heap of the k best for
all windows, whose k-th score, known from the earlier windows, prunes the later
ones from their first term on.

After pruning, the terms still to come only add to the window's survivors. With a
pool of 100 the survivors are dense: at a million sentences a probed row slice held
1.1 postings per survivor (median over the bench questions), so each such row is
read whole rather than searched. The survivors are marked in a bit map (64 KB per
window, it stays in the nearest cache) and the scratch is read only at their
postings: about 20 µs a question less at a million sentences with warm caches, and
140–190 µs (a fifth to a quarter) when the question comes cold, as after other work
(paired runs, ``docs/performance.md``).

The result is the *band*: every sentence whose float32 sum reaches the final k-th
best times ``1 - slack / 2`` (see :func:`top_band`), for exact rescoring
(``index.ranking.rescoring``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from index.jit import kernel
from index.ranking.heap import offer_all
from index.ranking.kernels import gallop, lower_bound, read_only

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Float32s = npt.NDArray[np.float32]
Float64s = npt.NDArray[np.float64]
UInt64s = npt.NDArray[np.uint64]

WINDOW = 1 << 19
"""Sentences summed at once: a 2 MB float32 scratch and a 2 MB list of the touched
(at ten million sentences windows of 256K to 1M sentences measured alike, 2M 70% slower)."""


@kernel
def _scan(
    sentence_ids: Int32s, weights: Float32s, begin: int, end: int, factor: float, base: int,
    scratch: Float32s, touched: Int32s, count: int,
) -> int:  # fmt: skip
    """Add postings ``[begin, end)`` to the scratch (ids relative to ``base``)."""
    for p in range(begin, end):
        s = sentence_ids[p] - base
        # Out-of-range ids (a damaged file) are skipped, never written.
        if s < 0 or s >= scratch.shape[0]:
            continue
        if scratch[s] == 0.0 and count < touched.shape[0]:
            touched[count] = s
            count += 1
        scratch[s] += factor * weights[p]
    return count


@kernel
def _survivors(
    scratch: Float32s, touched: Int32s, count: int, floor: float, marks: UInt64s, marked: bool
) -> int:
    """Keep, at the front of ``touched``, the candidates whose sums reach ``floor``; zero the
    others' sums (and, when the candidates are ``marked``, clear their bits)."""
    kept = 0
    for i in range(count):
        s = touched[i]
        if scratch[s] >= floor:
            touched[kept] = s
            kept += 1
        else:
            scratch[s] = 0.0
            if marked:
                marks[s >> 6] &= ~_bit(s)
    return kept


@kernel
def _bit(s: int) -> np.uint64:
    """Sentence ``s``'s bit within its word of a bit map (the word is ``s >> 6``)."""
    return np.uint64(1) << np.uint64(s & 63)


@kernel
def _mark(touched: Int32s, count: int, marks: UInt64s, value: bool) -> None:
    """Set (or clear) the bit of each of ``touched[:count]`` in ``marks``."""
    for i in range(count):
        s = touched[i]
        if value:
            marks[s >> 6] |= _bit(s)
        else:
            marks[s >> 6] &= ~_bit(s)


@kernel
def _probe(
    sentence_ids: Int32s, weights: Float32s, begin: int, end: int, factor: float, base: int,
    scratch: Float32s, touched: Int32s, count: int, marks: UInt64s,
) -> None:  # fmt: skip
    """Add postings ``[begin, end)`` to the survivors only (marked in ``marks``)."""
    if count * 4 * np.log2(end - begin + 2) >= end - begin:
        # Many survivors: one pass over the slice is cheaper. Their bits (a 64 KB map per
        # window, cache-resident) say which postings count: the 2 MB scratch is read
        # only for those, not once per posting.
        for p in range(begin, end):
            s = sentence_ids[p] - base
            if 0 <= s < scratch.shape[0] and marks[s >> 6] & _bit(s):
                scratch[s] += factor * weights[p]
        return
    # Few survivors: look each up, in ascending order so one gallop walks the slice once.
    touched[:count].sort()
    p = begin
    for i in range(count):
        s = touched[i]
        p = gallop(sentence_ids, p, end, s + base)
        if p < end and sentence_ids[p] == s + base:
            scratch[s] += factor * weights[p]


BUCKETS = 256


@kernel
def _kth_floor(scratch: Float32s, touched: Int32s, count: int, k: int, top: float) -> float:
    """A lower bound of the ``k``-th best of ``touched[:count]``'s partial sums (each at
    most ``top``): the lower edge of the highest of ``BUCKETS`` equal score ranges with
    ``k`` or more sums at or above it. One pass and no heap: a heap of the k best costs
    a comparison chain per candidate, and this runs after every term of a window."""
    counts = np.zeros(BUCKETS, np.int64)
    scale = BUCKETS / top if top > 0.0 else 0.0
    for i in range(count):
        counts[min(int(scratch[touched[i]] * scale), BUCKETS - 1)] += 1
    seen = 0
    for bucket in range(BUCKETS - 1, -1, -1):
        seen += counts[bucket]
        if seen >= k:
            return bucket / scale if scale > 0.0 else 0.0
    return 0.0


@kernel
def _window(
    sentence_ids: Int32s, weights: Float32s, begins: Int64s, ends: Int64s, factors: Float64s,
    remaining: Float64s, base: int, known: float, slack: float,
    k: int, scratch: Float32s, touched: Int32s, marks: UInt64s,
) -> int:  # fmt: skip
    """Sum one window's slices of the rows into the scratch, pruning once what is still to
    come cannot lift an unseen sentence above ``known`` (the k-th best of the earlier
    windows; 0 until they hold k candidates, and then a floor of this window's k-th best
    serves) less ``slack``. Returns how many candidates ``touched`` holds (every sentence
    that can reach that bar, and perhaps some below)."""
    terms = begins.shape[0]
    count, j, threshold = 0, 0, 0.0
    while j < terms:
        count = _scan(sentence_ids, weights, begins[j], ends[j], factors[j], base,
                      scratch, touched, count)  # fmt: skip
        j += 1
        if j == terms:
            break
        threshold = known * (1.0 - slack)
        # Until earlier windows hold k candidates (``known``), a floor of this window's
        # k-th best prunes. It is at most the bounds summed so far: look for it only when
        # that could exceed what is still to come. Once ``known`` is there it prunes
        # alone: looking again after every term cost more than it saved.
        could = count >= k and remaining[0] - remaining[j] > remaining[j]
        if could and known == 0.0:
            threshold = _kth_floor(scratch, touched, count, k, remaining[0] - remaining[j])
            threshold *= 1.0 - slack
        if threshold > 0.0 and remaining[j] < threshold:
            count = _survivors(scratch, touched, count, threshold - remaining[j], marks, False)
            break
    if j == terms:
        return count
    _mark(touched, count, marks, True)
    for rest in range(j, terms):
        _probe(sentence_ids, weights, begins[rest], ends[rest], factors[rest], base,
               scratch, touched, count, marks)  # fmt: skip
        if rest + 1 < terms:  # fewer terms to come: fewer survivors can still make it
            floor = threshold - remaining[rest + 1]
            count = _survivors(scratch, touched, count, floor, marks, True)
    _mark(touched, count, marks, False)
    return count


@kernel
def _kept(ids: Int64s, scores: Float64s, count: int, floor: float) -> int:
    """Keep, at the front, the entries scoring at least ``floor``; returns how many."""
    kept = 0
    for i in range(count):
        if scores[i] >= floor:
            ids[kept], scores[kept] = ids[i], scores[i]
            kept += 1
    return kept


@kernel
def top_band(
    indptr: Int64s, sentence_ids: Int32s, weights: Float32s,
    terms: Int64s, factors: Float64s, bounds: Float64s, lo: int, hi: int, slack: float, k: int,
    scratch: Float32s, touched: Int32s, marks: UInt64s,
) -> tuple[Int64s, Float64s]:  # fmt: skip
    """Every sentence of ``[lo, hi)`` whose float32 sum reaches the ``k``-th best times
    ``1 - slack / 2`` (all of them while fewer than ``k`` score), with its sum, unordered.

    ``terms`` must come in decreasing order of ``bounds`` (factor times row maximum). Sums
    are float32 and the weights may be approximate (computed for another average length):
    when every sum is within ``slack / 4`` (relative) of the exact score, the band holds
    the exact best ``k``, ties included. ``slack`` of 1 or more keeps every candidate.
    The scratch arrays (``len(scratch)`` sentences at a time) must be zero and are left so.
    """
    window = scratch.shape[0]
    count = terms.shape[0]
    remaining = np.zeros(count + 1)
    for j in range(count - 1, -1, -1):
        remaining[j] = remaining[j + 1] + bounds[j]
    begins, ends = np.empty(count, np.int64), np.empty(count, np.int64)
    stops = np.empty(count, np.int64)
    for j in range(count):
        row_begin, ends[j] = indptr[terms[j]], indptr[terms[j] + 1]
        begins[j] = lower_bound(sentence_ids, row_begin, ends[j], lo)
    best_ids, best_scores = np.empty(k, np.int64), np.empty(k)
    band_ids, band_scores = np.empty(max(4 * k, 64), np.int64), np.empty(max(4 * k, 64))
    size, kept, base = 0, 0, lo
    while base < hi:
        # Skip to the next posting any row holds: ids past the corpus cost nothing.
        nearest = hi
        for j in range(count):
            if begins[j] < ends[j]:
                nearest = min(nearest, sentence_ids[begins[j]])
        if nearest >= hi:
            break
        base = max(base, nearest)
        stop = min(base + window, hi)
        for j in range(count):
            stops[j] = gallop(sentence_ids, begins[j], ends[j], stop)
        known = best_scores[0] if size == k else 0.0
        found = _window(sentence_ids, weights, begins, stops, factors, remaining, base, known,
                        slack, k, scratch, touched, marks)  # fmt: skip
        size = offer_all(scratch, touched, found, base, best_ids, best_scores, size)
        floor = best_scores[0] * (1.0 - slack / 2) if size == k else 0.0
        kept = _kept(band_ids, band_scores, kept, floor)
        joining = _survivors(scratch, touched, found, floor, marks, False)  # the rest zeroed
        if kept + joining > band_ids.shape[0]:
            more = max(kept + joining, 2 * band_ids.shape[0])
            band_ids = np.concatenate((band_ids[:kept], np.empty(more - kept, np.int64)))
            band_scores = np.concatenate((band_scores[:kept], np.empty(more - kept)))
        for i in range(joining):
            s = touched[i]
            band_ids[kept + i], band_scores[kept + i] = s + base, scratch[s]
            scratch[s] = 0.0
        kept += joining
        begins[:] = stops
        base = stop
    return band_ids[:kept], band_scores[:kept]


def marks_for(window: int) -> UInt64s:
    """The survivors' bit map :func:`top_band` needs for a scratch of ``window`` sentences."""
    return np.zeros((window + 63) >> 6, dtype=np.uint64)


def warm_up() -> None:
    """Load (or compile) the kernel now rather than on the first question."""
    indptr = read_only(np.array([0, 2, 3], dtype=np.int64))
    sentence_ids = read_only(np.array([0, 1, 1], dtype=np.int32))
    weights = read_only(np.ones(3, dtype=np.float32))
    terms, factors = np.arange(2, dtype=np.int64), np.array([2.0, 1.0])
    scratch, touched = np.zeros(2, dtype=np.float32), np.zeros(2, dtype=np.int32)
    top_band(indptr, sentence_ids, weights, terms, factors, factors.copy(), 0, 2, 1e-4, 1,
             scratch, touched, marks_for(2))  # fmt: skip
