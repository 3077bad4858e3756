"""Semantic re-ranking, the optional extra (``pip install 'qabot[semantic]'``).

A small sentence-embedding model (all-MiniLM-L6-v2 by default, run with ONNX
Runtime) turns the question and every indexed sentence into unit vectors; the
question's cosine with each candidate is mixed into the re-ranker's score, so
an answer phrased in other words than the question can still come first.

Layer: beside ``index.ranking`` (it may import ``index.records`` and
``index.terms``, never storage, service or cli). ONNX Runtime and tokenizers
are imported inside functions only: ``import index`` and the default install
never need them.
"""
