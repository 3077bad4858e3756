"""Markdown articles: the title from the first heading, optional front matter.

Front matter (``---`` lines around ``key: value`` pairs) may give ``title``,
``date``/``published``, ``source`` (else ``author``) and ``url``; pages added by
link also carry ``language``, ``fetched_at`` and ``guid``, which the index does
not need. A value may be JSON-quoted (``"..."``, as pages added by link are
written), bare, or in single quotes. Headings and fenced code are not prose, so
they lie outside every paragraph.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from index.articles.dates import find_date
from index.articles.news import title_from_path
from index.articles.paragraphs import paragraph_spans
from index.records import Document, DocumentInfo, Span

_FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(?P<body>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S
)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<title>.+?)[ \t#]*$", re.M)
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~).*?^[ \t]{0,3}\1[^\n]*$", re.M | re.S)


def parse_markdown(doc_id: str, text: str, path: str | None = None) -> Document:
    """Parse a Markdown article into metadata and prose paragraphs."""
    meta, body_start = _front_matter(text)
    heading = _HEADING.search(text, body_start)
    title = meta.get("title") or (heading.group("title").strip() if heading else None)
    info = DocumentInfo(
        doc_id=doc_id,
        title=title or title_from_path(doc_id),
        source=meta.get("source") or meta.get("author"),
        published=_published(meta.get("published") or meta.get("date")),
        url=meta.get("url"),
        path=path,
    )
    excluded = [Span(m.start(), m.end()) for m in _HEADING.finditer(text, body_start)]
    excluded += [Span(m.start(), m.end()) for m in _FENCE.finditer(text, body_start)]
    return Document(info=info, text=text, paragraphs=tuple(_prose(text, body_start, excluded)))


def _front_matter(text: str) -> tuple[dict[str, str], int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    meta = {}
    for line in match.group("body").splitlines():
        key, sep, value = line.partition(":")
        if sep and value.strip():
            meta[key.strip().lower()] = _value(value.strip())
    return meta, match.end()


def _value(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            decoded = json.loads(text)
        except ValueError:
            decoded = None
        if isinstance(decoded, str):
            return decoded
    return text.strip("\"'")


def _published(value: str | None) -> str | None:
    """ISO 8601 dates and times as given; other date text parsed like a news header."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).isoformat() if "T" in value else _iso_day(value)
    except ValueError:
        found = find_date(value)
        return found[0] if found else value


def _iso_day(value: str) -> str:
    return datetime.strptime(value, "%Y-%m-%d").date().isoformat()


def _prose(text: str, start: int, excluded: list[Span]) -> list[Span]:
    """Paragraphs of the gaps between excluded regions."""
    spans: list[Span] = []
    cursor = start
    for region in sorted(excluded, key=lambda span: span.start):
        if region.start >= cursor:
            spans.extend(paragraph_spans(text, cursor, region.start))
        cursor = max(cursor, region.end)
    spans.extend(paragraph_spans(text, cursor))
    return spans
