from __future__ import annotations

import json

from index.articles.jsonl import parse_jsonl
from index.records import Document, Skipped


def lines(*records: object) -> list[bytes]:
    return [(r if isinstance(r, str) else json.dumps(r)).encode() + b"\n" for r in records]


def test_records_become_documents_with_their_fields() -> None:
    record = {"id": "a1", "title": "T", "text": "One.\n\nTwo.", "source": "S", "url": "u"}
    (document,) = parse_jsonl("c.jsonl", lines(record))
    assert isinstance(document, Document)
    assert (document.info.doc_id, document.info.title, document.info.source) == ("a1", "T", "S")
    assert [document.text[p.start : p.end] for p in document.paragraphs] == ["One.", "Two."]


def test_bad_lines_are_skipped_with_their_line_number() -> None:
    raw = lines({"id": "ok", "text": "Fine."}, "{not json", {"id": "x"}, [1, 2], {"text": 5})
    raw.insert(1, b"\xff\xfe bad bytes\n")
    items = list(parse_jsonl("c.jsonl", raw))
    skipped = [item for item in items if isinstance(item, Skipped)]
    assert [s.line for s in skipped] == [2, 3, 4, 5, 6]
    assert "not UTF-8" in skipped[0].reason
    assert "not valid JSON" in skipped[1].reason
    assert '"text"' in skipped[2].reason
    assert sum(isinstance(item, Document) for item in items) == 1


def test_missing_id_and_title_get_defaults() -> None:
    (document,) = parse_jsonl("c.jsonl", lines({"text": "Hello there."}))
    assert isinstance(document, Document)
    assert document.info.doc_id == "c.jsonl#1"
    assert document.info.title == "c.jsonl#1"


def test_unpaired_surrogates_are_refused_with_the_line() -> None:
    (item,) = parse_jsonl("c.jsonl", [b'{"id": "s", "text": "Hi \\ud800 there."}'])
    assert isinstance(item, Skipped)
    assert item.line == 1 and "surrogate" in item.reason


def test_a_line_nested_too_deeply_is_skipped_with_its_line() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    nested = '{"id": "n", "text": ' + "[" * 100_000 + "1" + "]" * 100_000 + "}"
    raw = lines({"id": "a", "text": "Fine."}, deep, nested, {"id": "b", "text": "Also fine."})
    items = list(parse_jsonl("c.jsonl", raw))
    skipped = [item for item in items if isinstance(item, Skipped)]
    assert [(s.path, s.line) for s in skipped] == [("c.jsonl", 2), ("c.jsonl", 3)]
    assert all("nested too deeply" in s.reason for s in skipped)
    assert [d.info.doc_id for d in items if isinstance(d, Document)] == ["a", "b"]
