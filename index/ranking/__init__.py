"""Ranking sentences: BM25 and what re-orders its best candidates.

``bm25`` holds the one definition of BM25 (Lucene's idf, k1, b) and the rank-bm25
reference; ``postings`` is the compressed sparse matrix of precomputed weights;
``kernels`` and ``heap`` are the compiled loops that score it and keep the best k;
``engines`` wraps both the fast path and the reference behind one interface, with
``candidates`` and ``selection`` for the total order of results; ``rerank`` re-ranks
BM25's best candidates with evidence BM25 cannot see, weighed as ``rerank_config`` says,
read off the candidates' postings by ``rerank_evidence`` and off their place in their
article by ``article_evidence`` (its relevance, its lead);
``confidence`` says how much of a question a sentence answers. Like bm25s, scoring,
selection and persistence are kept apart: nothing here reads or writes files.
"""
