"""Turning a :class:`SentenceIndex` into named members (arrays, JSON) and back.

Every member is checked on the way in: an array of the wrong type, length or
structure (``index.storage.structure``) raises ``ValueError``, so a damaged index
is caught at load, not at a query.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

import numpy as np

from index.ranking.bm25 import BM25Params
from index.ranking.postings import Postings
from index.records import DocumentInfo
from index.storage.document_columns import DocumentColumns, column_of
from index.storage.manifest import Manifest
from index.storage.sentence_index import BuildInfo, SentenceIndex
from index.storage.sentence_table import SentenceTable
from index.storage.sentence_tokens import SentenceTokens
from index.storage.structure import check_structure
from index.terms.sentence_facts import SentenceFacts

_DTYPES = {
    "doc_first": np.int64,
    "paragraph": np.int32,
    "number": np.int32,
    "start": np.int64,
    "end": np.int64,
    "text_offsets": np.int64,
    "indptr": np.int64,
    "sentence_ids": np.int32,
    "weights": np.float32,
    "lengths": np.int32,
    "term_freqs": np.uint16,
    "row_max": np.float32,
    "first_positions": np.uint8,
    "flags": np.uint8,
    "cue_indptr": np.int64,
    "cue_codes": np.int64,
    "text_keys": np.uint64,
    "token_indptr": np.int64,
    "token_terms": np.int32,
    "token_starts": np.uint16,
    "token_ends": np.uint16,
}
MEMBERS = frozenset(
    {f"{name}.npy" for name in _DTYPES} | {"documents.json", "vocabulary.json", "texts.bin"}
)
"""The names of the files :func:`encode_index` produces (and nothing else is read)."""


def encode_index(index: SentenceIndex) -> dict[str, Any]:
    """Members to store: ``name.npy`` arrays, ``name.json`` and ``texts.bin`` bytes."""
    table, postings = index.table, index.postings
    arrays = {
        "doc_first": table.doc_first,
        "paragraph": table.paragraph,
        "number": table.number,
        "start": table.start,
        "end": table.end,
        "text_offsets": table.text_offsets,
        "indptr": postings.indptr,
        "sentence_ids": postings.sentence_ids,
        "weights": postings.weights,
        "lengths": postings.lengths,
        "term_freqs": postings.stored_term_freqs(),
        "row_max": postings.row_maxima(),
        "first_positions": postings.stored_first_positions(),
        "flags": index.facts.flags,
        "cue_indptr": index.facts.cue_indptr,
        "cue_codes": index.facts.cue_codes,
        "text_keys": index.facts.text_keys,
        "token_indptr": index.tokens.indptr,
        "token_terms": index.tokens.terms,
        "token_starts": index.tokens.starts,
        "token_ends": index.tokens.ends,
    }
    members: dict[str, Any] = {f"{name}.npy": value for name, value in arrays.items()}
    members["documents.json"] = _json(document_columns(table.documents))
    members["vocabulary.json"] = _json(list(postings.vocabulary))
    members["texts.bin"] = bytes(table.texts)
    return members


def decode_index(members: dict[str, Any], manifest: Manifest) -> SentenceIndex:
    """Rebuild the index from loaded members; raises ``ValueError`` on any inconsistency."""
    arrays = {name: _array(members, name, dtype) for name, dtype in _DTYPES.items()}
    documents = _documents(json.loads(members["documents.json"]))
    vocabulary = tuple(str(term) for term in json.loads(members["vocabulary.json"]))
    table = SentenceTable(
        documents=documents,
        doc_first=arrays["doc_first"],
        paragraph=arrays["paragraph"],
        number=arrays["number"],
        start=arrays["start"],
        end=arrays["end"],
        text_offsets=arrays["text_offsets"],
        texts=members["texts.bin"],
    )
    postings = Postings(
        vocabulary=vocabulary,
        indptr=arrays["indptr"],
        sentence_ids=arrays["sentence_ids"],
        weights=arrays["weights"],
        lengths=arrays["lengths"],
        params=BM25Params(manifest.k1, manifest.b),
        term_freqs=arrays["term_freqs"],
        row_max=arrays["row_max"],
        first_positions=arrays["first_positions"],
    )
    facts = SentenceFacts(
        arrays["flags"], arrays["cue_indptr"], arrays["cue_codes"], arrays["text_keys"]
    )
    tokens = SentenceTokens(
        arrays["token_indptr"], arrays["token_terms"], arrays["token_starts"], arrays["token_ends"]
    )
    check_structure(table, postings, facts, tokens)
    build = BuildInfo(manifest.built_at, manifest.build_seconds, manifest.corpus)
    return SentenceIndex(table, postings, facts, tokens, build)


_FIELDS = tuple(field.name for field in fields(DocumentInfo))
_REQUIRED = frozenset({"doc_id", "title"})


def document_columns(documents: Sequence[DocumentInfo]) -> dict[str, list[str | None]]:
    """``documents.json``'s content: column by column, 40,000 documents parse and check in
    a few milliseconds."""
    return {name: list(column_of(documents, name)) for name in _FIELDS}


def _documents(columns: Any) -> DocumentColumns:
    if not isinstance(columns, dict):
        raise TypeError("documents.json is not an object of columns")
    values = [columns[name] for name in _FIELDS]
    count = len(values[0])
    for name, column in zip(_FIELDS, values, strict=True):
        allowed = {str} if name in _REQUIRED else {str, type(None)}
        if not isinstance(column, list) or len(column) != count:
            raise TypeError(f"documents.json column {name!r} is not a list of {count}")
        if not set(map(type, column)) <= allowed:
            raise TypeError(f"documents.json column {name!r} holds a value of the wrong type")
    return DocumentColumns(values)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _array(members: dict[str, Any], name: str, dtype: type[Any]) -> Any:
    array = members[f"{name}.npy"]
    if not isinstance(array, np.ndarray) or array.dtype != dtype or array.ndim != 1:
        raise ValueError(f"{name}.npy is not a 1-d {np.dtype(dtype).name} array")
    return array
