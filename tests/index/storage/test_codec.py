from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from index.ranking.bm25 import BM25Params
from index.service.searcher import Searcher
from index.storage.builder import build_index
from index.storage.codec import decode_index, encode_index
from index.storage.sentence_index import SentenceIndex
from tests.conftest import FIXTURE_CORPUS, sample_manifest

MANIFEST = sample_manifest()


@pytest.fixture(scope="module")
def members() -> dict[str, Any]:
    return encode_index(build_index(FIXTURE_CORPUS, BM25Params()).index)


def test_members_decode_back(members: dict[str, Any]) -> None:
    index = decode_index(dict(members), MANIFEST)
    assert Searcher(index).search("Pentagon").hits


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("weights.npy", np.zeros(3, dtype=np.float32)),
        ("sentence_ids.npy", np.zeros(5, dtype=np.int64)),
        ("texts.bin", b"short"),
        ("indptr.npy", np.array([0, 9_999_999], dtype=np.int64)),
        ("token_starts.npy", np.zeros(2, dtype=np.uint16)),
        ("token_indptr.npy", np.zeros(3, dtype=np.int64)),
    ],
)
def test_inconsistent_members_are_rejected(members: dict[str, Any], name: str, value: Any) -> None:
    damaged = dict(members)
    damaged[name] = value
    with pytest.raises(ValueError):
        decode_index(damaged, MANIFEST)


@pytest.fixture(scope="module")
def index() -> SentenceIndex:
    return build_index(FIXTURE_CORPUS).index


def test_round_trip(index: SentenceIndex) -> None:
    again = decode_index(encode_index(index), MANIFEST)
    assert again.documents == index.documents
    assert again.postings.vocabulary == index.postings.vocabulary
    assert np.array_equal(again.postings.row_maxima(), index.postings.row_maxima())
    assert Searcher(again).search("Pentagon", 3) == Searcher(index).search("Pentagon", 3)


def test_wrong_dtype_is_refused(index: SentenceIndex) -> None:
    members: dict[str, Any] = encode_index(index)
    members["weights.npy"] = members["weights.npy"].astype(np.float64)
    with pytest.raises(ValueError, match="weights"):
        decode_index(members, MANIFEST)


def test_tokens_that_disagree_with_the_sentence_lengths_are_refused(index: SentenceIndex) -> None:
    members: dict[str, Any] = encode_index(index)
    indptr = members["token_indptr.npy"].copy()
    indptr[1] += 1  # the first sentence one token longer, the second one shorter
    members["token_indptr.npy"] = indptr
    with pytest.raises(ValueError, match="lengths"):
        decode_index(members, MANIFEST)


def test_lengths_that_disagree_are_refused(index: SentenceIndex) -> None:
    members: dict[str, Any] = encode_index(index)
    members["row_max.npy"] = members["row_max.npy"][:-1]
    with pytest.raises(ValueError, match="row_max"):
        decode_index(members, MANIFEST)
