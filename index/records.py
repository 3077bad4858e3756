"""Records that cross module boundaries: documents, sentences, hits and reports.

All are frozen dataclasses so a value handed to the bot or the CLI cannot be
changed behind the index's back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# White space holding a line break: where hard-wrapped prose continues a sentence.
_WRAPPED = re.compile(r"[^\S\r\n]*(?:\r\n?|\n)\s*")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` in some text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What is known about an article besides its text: the citation fields."""

    doc_id: str
    title: str
    source: str | None = None
    published: str | None = None
    url: str | None = None
    place: str | None = None
    section: str | None = None
    path: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The fields as a JSON-ready mapping."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "url": self.url,
            "place": self.place,
            "section": self.section,
            "path": self.path,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentInfo:
        """Rebuild from :meth:`to_json` output; raises ``KeyError``/``TypeError`` when malformed."""
        return cls(
            doc_id=str(data["doc_id"]),
            title=str(data["title"]),
            source=_optional_str(data.get("source")),
            published=_optional_str(data.get("published")),
            url=_optional_str(data.get("url")),
            place=_optional_str(data.get("place")),
            section=_optional_str(data.get("section")),
            path=_optional_str(data.get("path")),
        )


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed article: its metadata, its full text and where its paragraphs lie.

    ``paragraphs`` are spans into ``text``; header lines (title, date, outlet)
    lie outside every paragraph, so they are metadata and never answers.
    """

    info: DocumentInfo
    text: str
    paragraphs: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document, with its exact span: ``doc.text[start:end] == text``.

    ``paragraph`` and ``number`` (the sentence within its paragraph) count from 1.
    """

    doc_id: str
    paragraph: int
    number: int
    start: int
    end: int
    text: str

    @property
    def shown(self) -> str:
        """The text as shown to people: each line break of hard-wrapped prose (and the
        white space around it) one space. ``text`` keeps the article's exact characters."""
        return flowing(self.text)[0]


ALSO_IN_LISTED = 5
"""Other articles quoting a hit's sentence that the hit lists by name (the rest are counted):
a wire story can run on dozens of sites."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked answer sentence with its citation and the words that matched."""

    rank: int
    score: float
    sentence: Sentence
    document: DocumentInfo
    matched: tuple[str, ...]
    highlights: tuple[Span, ...]
    position: int = 0
    confidence: float = 0.0
    # Other articles quoting the same sentence: the first few (``ALSO_IN_LISTED``), and how
    # many there are in all (at least as many as listed).
    also_in: tuple[DocumentInfo, ...] = ()
    also_in_count: int = 0

    def __post_init__(self) -> None:
        if self.also_in_count < len(self.also_in):
            object.__setattr__(self, "also_in_count", len(self.also_in))

    @property
    def shown(self) -> tuple[str, tuple[Span, ...]]:
        """The sentence as shown (:attr:`Sentence.shown`) and its highlights moved to match."""
        return flowing(self.sentence.text, self.highlights)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` shape of a hit."""
        data: dict[str, Any] = {
            "rank": self.rank,
            "score": round(self.score, 4),
            "confidence": round(self.confidence, 3),
            "text": self.sentence.text,
            "doc_id": self.document.doc_id,
            "title": self.document.title,
            "source": self.document.source,
            "published": self.document.published,
            "url": self.document.url,
            "paragraph": self.sentence.paragraph,
            "sentence": self.sentence.number,
            "start": self.sentence.start,
            "end": self.sentence.end,
            "matched": list(self.matched),
        }
        if self.also_in:
            data["also_in"] = [_cited(doc) for doc in self.also_in]
            data["also_in_count"] = self.also_in_count
        return data


def _cited(doc: DocumentInfo) -> dict[str, Any]:
    """A document as a hit's ``also_in`` lists it."""
    fields = ("doc_id", "title", "source", "published", "url")
    return {name: value for name, value in doc.to_json().items() if name in fields}


@dataclass(frozen=True, slots=True)
class Answer:
    """The result of one question: its analysed terms and the ranked hits.

    ``unknown_terms`` are the question's index terms no sentence holds and
    ``unknown_words`` the words, as typed, that gave them. When a typo was fixed,
    ``corrected_question`` is what was searched; when nothing was found,
    ``suggestions`` are indexed words the misspelt ones may have meant.
    """

    question: str
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    unknown_terms: tuple[str, ...] = ()
    corrected_question: str | None = None
    corrections: tuple[Correction, ...] = ()
    withheld: int = 0
    unknown_words: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` shape of an answer."""
        data: dict[str, Any] = {
            "question": self.question,
            "hits": [hit.to_json() for hit in self.hits],
        }
        if self.corrected_question is not None:
            data["corrected_question"] = self.corrected_question
            data["corrections"] = [
                {"word": c.word, "replacement": c.replacement} for c in self.corrections
            ]
        if self.withheld:
            data["withheld"] = self.withheld
        return data


@dataclass(frozen=True, slots=True)
class Correction:
    """A question word taken for a typo and the indexed word it was read as."""

    word: str
    replacement: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or one JSONL line) that was not indexed, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class IndexStats:
    """The figures of a built index."""

    documents: int
    sentences: int
    vocabulary: int
    postings: int
    built_at: str
    build_seconds: float
    size_bytes: int
    corpus: str
    k1: float
    b: float
    skipped: tuple[Skipped, ...] = field(default=())


def flowing(text: str, spans: Sequence[Span] = ()) -> tuple[str, tuple[Span, ...]]:
    """``text`` with every run of white space that holds a line break made one space, and
    ``spans`` (which never start or end inside white space) moved to match."""
    runs = [(match.start(), match.end()) for match in _WRAPPED.finditer(text)]
    if not runs:
        return text, tuple(spans)
    pieces, cursor = [], 0
    for lo, hi in runs:
        pieces += [text[cursor:lo], " "]
        cursor = hi
    pieces.append(text[cursor:])

    def moved(offset: int) -> int:
        return offset - sum(hi - lo - 1 for lo, hi in runs if hi <= offset)

    return "".join(pieces), tuple(Span(moved(s.start), moved(s.end)) for s in spans)
