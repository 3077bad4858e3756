"""Plain-text news articles: a short header, then the body.

The seed's shape::

    Top Select                                   <- section label
    Russia to resume talks on air safety in Syria  <- title
    Saturday, Oct 10, 2015,12:31 IST By Metrovaartha A A A   <- date, outlet, page furniture
    Washington | Russia has agreed ...           <- body; "Washington |" is the dateline

Header lines become metadata and lie outside every paragraph, so they are never
answers. Without a date line the first line is the title when it is short, does
not end with a full stop and has text after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from index.articles.dates import find_date
from index.articles.paragraphs import paragraph_spans
from index.records import Document, DocumentInfo, Span

_HEADER_LINES = 4
_MAX_TITLE = 200
_BYLINE = re.compile(r"\b[Bb]y\s+(?P<source>[^|\n]+?)(?=\s+(?:A\s+){1,}A\s*$|\s*\||\s*$)")
_DATELINES = (
    re.compile(r"(?P<place>[A-Z][\w.'’ -]{0,40}?)\s*\|\s*"),
    re.compile(
        r"(?P<place>[A-Z][A-Z.'’ -]{1,40}?)\s*(?:\((?P<agency>[^()\n]{1,30})\))?\s*[—–-]{1,2}\s+"
    ),
)


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    start: int
    end: int


def parse_news(doc_id: str, text: str, path: str | None = None) -> Document:
    """Parse a plain-text article: header metadata, dateline and body paragraphs."""
    lines = _leading_lines(text)
    date_at = next((i for i, line in enumerate(lines) if find_date(line.text)), None)
    info, body_start = _header(doc_id, text, lines, date_at, path)
    paragraphs = paragraph_spans(text, body_start)
    if paragraphs:
        place, agency, first = _dateline(text, paragraphs[0])
        paragraphs[0] = first
        info = _with(info, place=place, source=info.source or agency)
    return Document(info=info, text=text, paragraphs=tuple(paragraphs))


def _header(
    doc_id: str, text: str, lines: list[_Line], date_at: int | None, path: str | None
) -> tuple[DocumentInfo, int]:
    fallback = title_from_path(doc_id)
    if date_at is not None:
        before = [line.text for line in lines[:date_at]]
        date_line = lines[date_at].text
        found = find_date(date_line)
        info = DocumentInfo(
            doc_id=doc_id,
            title=before[-1] if before else fallback,
            section=before[-2] if len(before) >= 2 else None,
            published=found[0] if found else None,
            source=_byline(date_line),
            path=path,
        )
        return info, lines[date_at].end
    if lines and _is_title(lines[0]) and text[lines[0].end :].strip():
        return DocumentInfo(doc_id=doc_id, title=lines[0].text, path=path), lines[0].end
    return DocumentInfo(doc_id=doc_id, title=fallback, path=path), 0


def _is_title(line: _Line) -> bool:
    """A short first line that does not end a sentence, with text after it (however
    long its first paragraph), is a title, not a sentence of the body."""
    return len(line.text) <= _MAX_TITLE and not line.text.endswith(".")


def _leading_lines(text: str) -> list[_Line]:
    """The first few non-blank lines, short enough to be a header."""
    lines: list[_Line] = []
    for match in re.finditer(r"[^\n]+", text):
        stripped = match.group().strip()
        if not stripped:
            continue
        if len(stripped) > _MAX_TITLE or len(lines) == _HEADER_LINES:
            break
        lines.append(_Line(stripped, match.start(), match.end()))
    return lines


def _byline(line: str) -> str | None:
    match = _BYLINE.search(line)
    return match.group("source").strip() if match else None


def _dateline(text: str, paragraph: Span) -> tuple[str | None, str | None, Span]:
    """Split a leading "Washington |" or "LONDON (Reuters) -" off the first paragraph."""
    for pattern in _DATELINES:
        match = pattern.match(text, paragraph.start, paragraph.end)
        if match and match.end() < paragraph.end:
            agency = match.groupdict().get("agency")
            return match.group("place").strip(), agency, Span(match.end(), paragraph.end)
    return None, None, paragraph


def title_from_path(doc_id: str) -> str:
    stem = PurePosixPath(doc_id).stem
    return stem.replace("_", " ").replace("-", " ").strip() or doc_id


def _with(info: DocumentInfo, *, place: str | None, source: str | None) -> DocumentInfo:
    return DocumentInfo(
        doc_id=info.doc_id,
        title=info.title,
        source=source,
        published=info.published,
        url=info.url,
        place=place,
        section=info.section,
        path=info.path,
    )
