"""Ranking sentences: BM25 and what re-orders its best candidates.

``bm25`` holds the one definition of BM25 (Lucene's idf, k1, b) and
``reference_engine`` the rank-bm25 reference; ``postings`` is the compressed sparse
matrix of precomputed weights; ``kernels`` and ``heap`` are the compiled loops that
score it and keep the best k; ``engines`` holds the fast path behind the interface
the reference shares, with ``candidates`` and ``selection`` for the total order of
results; ``rerank`` re-ranks BM25's best candidates with evidence BM25 cannot see,
weighed as ``rerank_config`` says, read off the candidates' postings by
``rerank_evidence`` and off their place in their article by ``article_evidence`` (its
relevance, its lead), computed in two compiled passes (``rerank_gather``,
``rerank_combine``: a row of features per candidate, weighed) held to the numpy
features of ``rerank_reference``;
``confidence`` says how much of a question a sentence answers. Like bm25s, scoring,
selection and persistence are kept apart: nothing here reads or writes files.
"""
