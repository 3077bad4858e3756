"""Paragraph spans: blocks of text between blank lines.

A line break right after sentence-final punctuation also ends a paragraph:
scraped news puts one paragraph on each line, and in hard-wrapped prose a line
that ends a sentence is a safe place to break.
"""

from __future__ import annotations

import re

from index.records import Span

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_END_OF_SENTENCE_LINE = re.compile(r"""(?:(?<=[.!?])|(?<=[.!?]["'”’)]))[ \t\r]*\n""")


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The non-blank paragraphs of ``text[start:end]``, each trimmed of surrounding whitespace."""
    stop = len(text) if end is None else end
    spans: list[Span] = []
    for block in _split(text, start, stop, _BLANK_LINE):
        spans.extend(_split(text, block.start, block.end, _END_OF_SENTENCE_LINE))
    return [trimmed for span in spans if (trimmed := trim(text, span)) is not None]


def trim(text: str, span: Span) -> Span | None:
    """``span`` without leading and trailing whitespace, or ``None`` when nothing is left."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def _split(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[Span]:
    spans = []
    cursor = start
    for match in separator.finditer(text, start, end):
        spans.append(Span(cursor, match.start()))
        cursor = match.end()
    spans.append(Span(cursor, end))
    return spans
