"""Documents kept as columns behave as the tuple of records they stand for."""

from __future__ import annotations

import pytest

from index.records import DocumentInfo
from index.storage.codec import document_columns
from index.storage.document_columns import FIELDS, DocumentColumns, column_of

DOCUMENTS = (
    DocumentInfo("a", "Alpha", source="Wire", path="a.md"),
    DocumentInfo("b", "Beta", published="2015-10-10"),
    DocumentInfo("c", "Gamma", url="https://example.org/c"),
)


def _columns() -> DocumentColumns:
    stored = document_columns(DOCUMENTS)
    return DocumentColumns([stored[name] for name in FIELDS])


def test_columns_give_the_records_back() -> None:
    lazy = _columns()
    assert len(lazy) == 3 and list(lazy) == list(DOCUMENTS)
    assert lazy[1] == DOCUMENTS[1] and lazy[-1] == DOCUMENTS[-1]
    assert lazy[1] is lazy[1]  # made once, then kept
    assert lazy[0:2] == list(DOCUMENTS[0:2])
    assert lazy == DOCUMENTS and lazy != DOCUMENTS[:2]
    with pytest.raises(IndexError):
        lazy[3]


def test_a_column_comes_without_making_records() -> None:
    assert column_of(_columns(), "doc_id") == ["a", "b", "c"]
    assert column_of(DOCUMENTS, "title") == ["Alpha", "Beta", "Gamma"]
    assert document_columns(_columns()) == document_columns(DOCUMENTS)
