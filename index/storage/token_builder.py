"""Collecting sentences' indexed words (term ids and spans) as a build analyses them.

Apart from ``index.storage.sentence_tokens`` (which reads them back, with a numba
kernel) so that a build's worker processes, which only collect, never import numba.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

# Offsets within a sentence are stored as ``uint16``.
MAX_OFFSET = int(np.iinfo(np.uint16).max)
Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]


class SentenceTokensBuilder:
    """Collects sentences' tokens in order (term ids under any vocabulary); frozen by
    ``SentenceTokens.of``."""

    def __init__(self) -> None:
        self.terms = array("i")
        self.starts = array("H")
        self.ends = array("H")
        self.counts = array("i")

    def add_sentence(
        self, terms: Sequence[int], starts: Sequence[int], ends: Sequence[int]
    ) -> None:
        """Append one sentence's tokens: term ids and word spans, in text order."""
        self.terms.extend(terms)
        if ends and ends[-1] > MAX_OFFSET:  # offsets ascend; only a giant sentence needs this
            starts, ends = [min(o, MAX_OFFSET) for o in starts], [min(o, MAX_OFFSET) for o in ends]
        self.starts.extend(starts)
        self.ends.extend(ends)
        self.counts.append(len(terms))

    def add_sentences(self, terms: Int32s, starts: Int64s, ends: Int64s, counts: Int64s) -> None:
        """Append many sentences' tokens at once: as :meth:`add_sentence` for each, with
        ``counts`` saying how many tokens each sentence has."""
        self.terms.frombytes(np.ascontiguousarray(terms, dtype=np.int32).tobytes())
        self.starts.frombytes(np.minimum(starts, MAX_OFFSET).astype(np.uint16).tobytes())
        self.ends.frombytes(np.minimum(ends, MAX_OFFSET).astype(np.uint16).tobytes())
        self.counts.frombytes(np.asarray(counts, dtype=np.int32).tobytes())
