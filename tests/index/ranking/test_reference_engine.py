"""The rank-bm25 reference: Lucene's idf where BM25Okapi's fails, and clear errors."""

from __future__ import annotations

import pytest
from rank_bm25 import BM25Okapi

from index.ranking.reference_engine import LuceneBM25


def test_rank_bm25_okapi_zeroes_a_term_in_half_the_sentences() -> None:
    """The pitfall Lucene's idf fixes: BM25Okapi gives 0 to a term in half the sentences."""
    corpus = [["pentagon", "say"], ["russia", "say"], ["pentagon", "talk"], ["kirbi"]]
    okapi = BM25Okapi(corpus)
    assert okapi.idf["pentagon"] == 0.0
    assert okapi.get_scores(["pentagon"])[0] == 0.0
    lucene = LuceneBM25(corpus)
    assert lucene.scores(["pentagon"])[0] > 0


def test_empty_corpora_raise_a_clear_error() -> None:
    with pytest.raises(match="zero sentences"):
        LuceneBM25([])
    with pytest.raises(match="indexable word"):
        LuceneBM25([[], []])
