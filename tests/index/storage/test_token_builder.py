"""Collecting sentences' tokens: at once or one by one, the same arrays; numba stays out."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from index.storage.token_builder import MAX_OFFSET, SentenceTokensBuilder


def test_sentences_added_at_once_are_as_added_one_by_one() -> None:
    sentences = [([3, 1], [0, 4], [3, 9]), ([], [], []), ([2], [70_000], [70_004]), ([5], [1], [2])]
    one_by_one, at_once = SentenceTokensBuilder(), SentenceTokensBuilder()
    for terms, starts, ends in sentences:
        one_by_one.add_sentence(terms, starts, ends)
    at_once.add_sentences(
        np.array([t for s in sentences for t in s[0]], dtype=np.int32),
        np.array([o for s in sentences for o in s[1]], dtype=np.int64),
        np.array([o for s in sentences for o in s[2]], dtype=np.int64),
        np.array([len(s[0]) for s in sentences], dtype=np.int64),
    )
    for name in ("terms", "starts", "ends", "counts"):
        assert getattr(at_once, name) == getattr(one_by_one, name)
    assert list(at_once.ends)[2] == MAX_OFFSET


def test_a_build_worker_imports_no_numba() -> None:
    # Workers only split and analyse; numba costs each of them 0.2 s of CPU to import.
    probe = "import sys; from index.storage import batches; batches.worker_analyzer(); "
    probe += "print(any(name.startswith('numba') for name in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
