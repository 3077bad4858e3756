"""JSON Lines corpora: one article per line.

Each line is ``{"id", "title", "text", "source"?, "published"?, "url"?}``.
Sentence offsets point into ``text`` exactly as given. A line that is not
JSON (or JSON nested too deeply to read), or lacks a usable ``text``, is skipped
with a warning naming the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from index.articles.paragraphs import paragraph_spans
from index.records import Document, DocumentInfo, Skipped

_OPTIONAL = ("source", "published", "url")


def parse_jsonl(path: str, lines: Iterable[bytes]) -> Iterator[Document | Skipped]:
    """Documents from the raw lines of a JSONL file, and a ``Skipped`` for each bad line."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield _document(path, number, json.loads(_decode_line(raw)))
        except (ValueError, TypeError, RecursionError) as error:
            yield Skipped(path, _reason(error), line=number)


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (invalid byte at column {error.start})") from None


def _reason(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "JSON nested too deeply to read"
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON ({error.msg} at column {error.colno})"
    return str(error)


def _document(path: str, number: int, record: Any) -> Document:
    if not isinstance(record, dict):
        raise TypeError("not a JSON object")
    if _has_lone_surrogate(record):
        raise ValueError(
            "contains an unpaired surrogate escape (\\ud800-\\udfff): not valid Unicode"
        )
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('no "text" string')
    doc_id = _string(record, "id") or f"{path}#{number}"
    extra = {key: _string(record, key) for key in _OPTIONAL}
    info = DocumentInfo(
        doc_id=doc_id,
        title=_string(record, "title") or doc_id,
        source=extra["source"],
        published=extra["published"],
        url=extra["url"],
        path=path,
    )
    return Document(info=info, text=text, paragraphs=tuple(paragraph_spans(text)))


def _has_lone_surrogate(record: dict[str, Any]) -> bool:
    for value in record.values():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def _string(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f'"{key}" is not a string')
    return value.strip() or None
