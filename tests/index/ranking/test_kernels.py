"""The compiled kernels: exact sums, a correct top-k order, scratch left clean."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking import band, kernels
from index.service.opening import warm_up
from tests.conftest import SEED_FILE, write


def _matrix(rows: list[list[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    ids = np.array([s for r in rows for s in r], dtype=np.int32)
    return kernels.read_only(indptr), kernels.read_only(ids)


Top = tuple[list[int], list[float], npt.NDArray[np.float32]]


def _top(rows: list[list[int]], weights: list[float], factors: list[float], k: int, n: int,
         lo: int = 0, hi: int | None = None, window: int | None = None) -> Top:  # fmt: skip
    indptr, ids = _matrix(rows)
    w = kernels.read_only(np.array(weights, dtype=np.float32))
    maxima = [max(weights[indptr[t] : indptr[t + 1]], default=0.0) for t in range(len(rows))]
    bounds = np.array(factors) * np.array(maxima, dtype=np.float32)
    terms = np.argsort(-bounds, kind="stable")
    size = window or n
    scratch, touched = np.zeros(size, dtype=np.float32), np.zeros(size, dtype=np.int32)
    marks = band.marks_for(size)
    out_ids, out_scores = band.top_band(
        indptr, ids, w, terms, np.array(factors)[terms], bounds[terms], lo,
        n if hi is None else hi, kernels.SLACK, k, scratch, touched, marks,
    )  # fmt: skip
    assert not marks.any(), "the survivors' bits must be cleared on the way out"
    order = np.lexsort((out_ids, -out_scores))[:k]
    return [int(i) for i in out_ids[order]], [float(s) for s in out_scores[order]], scratch


def test_scores_sum_factor_times_weight_over_terms() -> None:
    ids, scores, _ = _top([[0, 2], [2, 3]], [1.0, 2.0, 0.5, 4.0], [1.0, 3.0], k=10, n=4)
    assert ids == [3, 2, 0]
    assert scores == [12.0, 3.5, 1.0]


def test_equal_scores_go_in_sentence_order() -> None:
    ids, _, _ = _top([[0, 1, 3, 5]], [1.0, 1.0, 1.0, 1.0], [1.0], k=3, n=6)
    assert ids == [0, 1, 3]


def test_range_restricts_and_scratch_is_left_zeroed() -> None:
    ids, _, scratch = _top([[0, 1, 2, 3]], [1.0, 2.0, 3.0, 4.0], [1.0], k=10, n=4, lo=1, hi=3)
    assert ids == [2, 1]
    assert not scratch.any()


def test_ids_beyond_the_corpus_are_ignored_not_written() -> None:
    ids, _, scratch = _top([[0, 7, 99]], [1.0, 1.0, 1.0], [1.0], k=10, n=2)
    assert ids == [0]
    assert scratch.shape == (2,) and not scratch.any()


def test_pruning_skips_rows_that_cannot_matter_and_stays_exact() -> None:
    # One rare heavy term decides the top 2; the long light row only adds to survivors.
    light = list(range(40))
    ids, scores, scratch = _top([[3, 9], light], [5.0, 4.0] + [0.1] * 40, [1.0, 1.0], k=2, n=40)
    assert ids == [3, 9]
    assert scores == pytest.approx([5.1, 4.1])
    assert not scratch.any()


def test_all_scores_returns_every_candidate() -> None:
    indptr, ids = _matrix([[0, 2], [2]])
    w = kernels.read_only(np.array([1.0, 2.0, 3.0], dtype=np.float32))
    scratch, touched = np.zeros(3, dtype=np.float32), np.zeros(3, dtype=np.int32)
    scores = np.zeros(3)
    count = kernels.all_scores(
        indptr, ids, w, np.array([0, 1], dtype=np.int64), np.ones(2), scratch, touched, scores
    )
    assert sorted(zip(touched[:count].tolist(), scores[:count].tolist(), strict=True)) == [
        (0, 1.0),
        (2, 5.0),
    ]
    assert not scratch.any()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 29), max_size=12, unique=True), min_size=1, max_size=5),
    st.integers(1, 12),
    st.sampled_from([None, 1, 4, 7, 29]),
)
def test_top_k_matches_a_full_sort(rows: list[list[int]], k: int, window: int | None) -> None:
    """Exhaustive or pruned, in one window or in windows of a few sentences."""
    rows = [sorted(row) for row in rows]  # rows hold sentence ids in ascending order
    rng = np.random.default_rng(len(rows) * 31 + k)
    weights = [float(x) for x in rng.integers(1, 4, sum(map(len, rows)))]
    factors = [float(x) for x in rng.integers(1, 3, len(rows))]
    ids, scores, scratch = _top(rows, weights, factors, k=k, n=30, window=window)
    assert not scratch.any()
    totals: dict[int, float] = {}
    position = 0
    for row, factor in zip(rows, factors, strict=True):
        for s in row:
            totals[s] = totals.get(s, 0.0) + factor * weights[position]
            position += 1
    expected = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:k]
    assert list(zip(ids, scores, strict=True)) == expected


@pytest.mark.parametrize("seed", range(12))
def test_top_k_with_long_rows_matches_a_full_sort(seed: int) -> None:
    """Two rare heavy terms and two long light rows: pruning leaves survivors to look up
    in the long rows, few or many, in one window or several."""
    rng = np.random.default_rng(seed)
    n = 2000
    lengths = [*rng.integers(3, 40, 2), *rng.integers(300, 1500, 2)]
    rows = [sorted(rng.choice(n, size=int(size), replace=False).tolist()) for size in lengths]
    # Eighths: every product and sum is exact in float32, so the order is the exact one.
    weights = (rng.integers(1, 17, int(sum(lengths))) / 8).tolist()
    factors = [8.0, 6.0, 1.0, 0.75]
    k = int(rng.integers(1, 12))
    ids, scores, scratch = _top(rows, weights, factors, k=k, n=n, window=[None, 256, 700][seed % 3])
    assert not scratch.any()
    totals: dict[int, float] = {}
    weight = iter(weights)
    for row, factor in zip(rows, factors, strict=True):
        for s in row:
            totals[s] = totals.get(s, 0.0) + factor * next(weight)
    expected = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:k]
    assert list(zip(ids, scores, strict=True)) == expected


# Every compiled function a search calls directly, by module.
SEARCH_KERNELS = {
    "index.ranking.kernels": ("all_scores",),
    "index.ranking.band": ("top_band",),
    "index.ranking.rescoring": ("_rescore",),
    "index.ranking.rerank_gather": ("_gather",),
    "index.ranking.rerank_combine": ("_features",),
    "index.storage.sentence_tokens": ("_matching",),
}
KERNELS = [f"{module}.{name}" for module, names in SEARCH_KERNELS.items() for name in names]
CACHED_SEARCH = f"""
import importlib, json, sys
from pathlib import Path
from index.service.opening import open_index, warm_up

def count(field):
    return {{
        f"{{module}}.{{name}}": field(getattr(importlib.import_module(module), name).compiled())
        for module, names in {SEARCH_KERNELS!r}.items() for name in names
    }}

warm_up()
warmed = count(lambda kernel: len(kernel.signatures))
open_index(Path(sys.argv[1]), Path(sys.argv[2])).searcher.search("What did the Pentagon say?", 5)
print(json.dumps({{
    "warmed": warmed,
    "searched": count(lambda kernel: len(kernel.signatures)),
    "hits": sum(count(lambda kernel: sum(kernel.stats.cache_hits.values())).values()),
    "misses": sum(count(lambda kernel: sum(kernel.stats.cache_misses.values())).values()),
}}))
"""


def test_warm_up_compiles_every_search_kernel() -> None:
    warm_up()
    for module, names in SEARCH_KERNELS.items():
        for name in names:
            kernel = getattr(importlib.import_module(module), name)
            assert kernel.compiled().signatures, f"{module}.{name} was not compiled"


@pytest.mark.slow
def test_kernels_compile_once_then_load_from_the_cache_and_a_search_adds_none(
    tmp_path: Path,
) -> None:
    corpus = write(tmp_path / "corpus", "a.txt", SEED_FILE.read_text(encoding="utf-8")).parent
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache")}
    runs = []
    for index in ("first", "second"):
        argv = [sys.executable, "-c", CACHED_SEARCH, str(corpus), str(tmp_path / index)]
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
        runs.append(json.loads(done.stdout))
    first, second = runs
    assert first["misses"] == len(KERNELS) and first["hits"] == 0  # compiled, then saved
    assert second["misses"] == 0 and second["hits"] == len(KERNELS)  # loaded, not compiled
    for run in runs:
        assert run["warmed"] == run["searched"] == dict.fromkeys(KERNELS, 1)
