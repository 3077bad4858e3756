"""Evidence about a candidate's place in its article, from the sentence arrays alone.

Two things BM25 cannot see because it scores each sentence alone:

* how relevant the sentence's whole article is (``index.article_relevance``), which
  picks the right article in an open-corpus search;
* whether the sentence is its article's lead (:func:`lead_sentences`): in news
  the first sentence carries the story, in an encyclopedia it defines the
  subject, so it answers "what is X" and "who is X" even when it shares few of
  the question's words ("Kathmandu is the capital and largest city of Nepal.").
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# A lead is a whole sentence: a shorter first "sentence" (an image caption, a byline,
# a heading such as "Top Select") gives way to the first one with this many terms.
LEAD_MIN_TERMS = 6


def lead_sentences(
    doc_first: npt.NDArray[np.int64], lengths: npt.NDArray[np.int32]
) -> npt.NDArray[np.int64]:
    """For each document, the id of its lead: its first sentence of at least
    ``LEAD_MIN_TERMS`` terms, or its first sentence when none is that long.

    ``doc_first`` holds each document's first sentence id and, last, the sentence
    count; ``lengths`` each sentence's number of terms.
    """
    starts, stops = doc_first[:-1], doc_first[1:]
    whole = np.flatnonzero(np.asarray(lengths) >= LEAD_MIN_TERMS)
    at = np.searchsorted(whole, starts)
    found = np.minimum(at, max(whole.shape[0] - 1, 0))
    candidate = whole[found] if whole.shape[0] else starts
    inside = (at < whole.shape[0]) & (candidate < stops)
    leads: npt.NDArray[np.int64] = np.where(inside, candidate, starts).astype(np.int64)
    return leads


def pool_scores(
    ids: npt.NDArray[np.int64], scores: npt.NDArray[np.float64], wanted: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """The scores of ``wanted`` ids among the candidates ``ids`` (ascending, with their
    ``scores``): 0 and False where a wanted id is not a candidate."""
    at = np.minimum(np.searchsorted(ids, wanted), ids.shape[0] - 1)
    found = ids[at] == wanted
    return np.where(found, scores[at], 0.0), found
