"""The terms of many sentences at once, exactly as :meth:`Analyzer.term_spans` gives them.

Indexing analyses a batch of thousands of sentences. One at a time, each costs a
regular-expression scan, a handful of lists and a term id lookup per word in
Python. Joined with a line break between them, the sentences are scanned once,
their words' terms looked up in one pass of the analyzer's cache, and the words
assigned to their sentences with numpy.

The joined scan finds the same words as the separate ones: a word never takes in
a line break, and the word pattern looks at most one character past a word (a
dot, a comma, an apostrophe or a word character), never a line break. Which
capitals mean nothing (a shouted headline) and which two words make one name are
decided per sentence, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from operator import is_not, itemgetter

import numpy as np
import numpy.typing as npt

from index.terms.analysis import PAIR_FIRST_TERMS, Analyzer, is_shouted, words_and_gaps

# Between two sentences in the joined text: no word contains it or looks past it.
_SEPARATOR = "\n"

Int64s = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class TermSpansBatch:
    """Many texts' terms one after another, each with its word's span within its text,
    and how many terms each text has."""

    terms: list[str]
    starts: Int64s
    ends: Int64s
    counts: Int64s


def term_spans_batch(analyzer: Analyzer, texts: Sequence[str]) -> TermSpansBatch:
    """What :meth:`Analyzer.term_spans` gives for each of ``texts``, all at once."""
    ascii_texts = list(map(str.isascii, texts))
    scans = [
        _scan(texts, [i for i, plain in enumerate(ascii_texts) if plain is kind])
        for kind in (True, False)
    ]
    words = scans[0].words + scans[1].words
    owner = np.concatenate([scans[0].owner, scans[1].owner])
    order = np.argsort(owner, kind="stable")  # text order, and word order within a text
    if scans[0].words and scans[1].words:
        words = list(itemgetter(*order.tolist())(words))
    owner = owner[order]
    starts = np.concatenate([scans[0].starts, scans[1].starts])[order]
    ends = np.concatenate([scans[0].ends, scans[1].ends])[order]
    firsts = np.searchsorted(owner, np.arange(len(texts) + 1))
    terms = analyzer.lone_terms(words, False)
    _per_text(analyzer, texts, words, terms, firsts, owner)
    kept = list(map(is_not, terms, repeat(None)))
    mask = np.array(kept, dtype=bool)
    return TermSpansBatch(
        list(compress(terms, kept)),  # type: ignore[arg-type]
        starts[mask],
        ends[mask],
        np.bincount(owner[mask], minlength=len(texts)).astype(np.int64),
    )


@dataclass(frozen=True, eq=False)
class _Scan:
    """The words of some texts, each with its text's number and its span within it."""

    words: list[str]
    owner: Int64s
    starts: Int64s
    ends: Int64s


def _scan(texts: Sequence[str], chosen: list[int]) -> _Scan:
    """One scan of the ``chosen`` texts joined (all ASCII or none: ASCII text takes a
    quicker pattern, as it does alone)."""
    split = words_and_gaps(_SEPARATOR.join(texts[i] for i in chosen))
    words = split[1::2]
    bounds = np.fromiter(accumulate(map(len, split)), dtype=np.int64, count=len(split))
    lengths = np.fromiter((len(texts[i]) + 1 for i in chosen), dtype=np.int64, count=len(chosen))
    text_starts = np.cumsum(lengths) - lengths
    starts, ends = bounds[0 : 2 * len(words) : 2], bounds[1::2]
    place = np.searchsorted(text_starts, starts, side="right") - 1
    offsets = text_starts[place]
    return _Scan(words, np.asarray(chosen, dtype=np.int64)[place], starts - offsets, ends - offsets)


def _per_text(
    analyzer: Analyzer,
    texts: Sequence[str],
    words: list[str],
    terms: list[str | None],
    firsts: Int64s,
    owner: Int64s,
) -> None:
    """Redo, in place, the texts whose terms are not their words' plain terms: the shouted
    ones, and those with a word that may start a two-word name."""
    redo = {i for i, text in enumerate(texts) if is_shouted(text)}
    if not PAIR_FIRST_TERMS.isdisjoint(terms):
        redo.update(compress(owner.tolist(), map(PAIR_FIRST_TERMS.__contains__, terms)))
    for text in sorted(redo):
        lo, hi = int(firsts[text]), int(firsts[text + 1])
        terms[lo:hi] = analyzer.word_terms(words[lo:hi], is_shouted(texts[text]))
