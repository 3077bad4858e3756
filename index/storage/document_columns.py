"""An index's documents as the columns ``documents.json`` stores, made into records on demand.

Loading used to make every :class:`DocumentInfo` at once: 0.16 s for 40,000
documents, 1.6 s for 400,000 (ten million sentences), most of an index's load.
Questions need a few documents each; the ids and titles that searchers index
come straight from their columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from typing import overload

from index.records import DocumentInfo

FIELDS = tuple(field.name for field in fields(DocumentInfo))
# Documents made and kept for later questions (the ones cited again and again).
_KEPT = 65_536


class DocumentColumns(Sequence[DocumentInfo]):
    """Documents as one list per field of :class:`DocumentInfo`, in that order."""

    def __init__(self, columns: Sequence[Sequence[str | None]]) -> None:
        self._columns = tuple(columns)
        self._made: dict[int, DocumentInfo] = {}

    def __len__(self) -> int:
        return len(self._columns[0])

    @overload
    def __getitem__(self, at: int) -> DocumentInfo: ...
    @overload
    def __getitem__(self, at: slice) -> Sequence[DocumentInfo]: ...
    def __getitem__(self, at: int | slice) -> DocumentInfo | Sequence[DocumentInfo]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        if at < 0:
            at += len(self)
        made = self._made.get(at)
        if made is None:
            made = DocumentInfo(*(column[at] for column in self._columns))  # type: ignore[arg-type]
            if len(self._made) >= _KEPT:
                self._made.clear()
            self._made[at] = made
        return made

    def __iter__(self) -> Iterator[DocumentInfo]:
        for at in range(len(self)):
            yield self[at]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def column(self, name: str) -> Sequence[str | None]:
        """One field of every document (``doc_id``, ``title``, ...)."""
        return self._columns[FIELDS.index(name)]


def column_of(documents: Sequence[DocumentInfo], name: str) -> Sequence[str | None]:
    """One field of every document, from the columns when the documents are stored so."""
    if isinstance(documents, DocumentColumns):
        return documents.column(name)
    return [getattr(document, name) for document in documents]
