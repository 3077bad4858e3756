from __future__ import annotations

import dataclasses

import pytest

from index.records import DocumentInfo, Skipped


def test_document_info_survives_json() -> None:
    info = DocumentInfo("id", "Title", "Src", "2015-10-10", "http://u", "Place", "Sec", "p.txt")
    assert DocumentInfo.from_json(info.to_json()) == info


def test_malformed_document_json_raises() -> None:
    with pytest.raises(KeyError):
        DocumentInfo.from_json({"title": "t"})
    with pytest.raises(TypeError):
        DocumentInfo.from_json({"doc_id": "a", "title": "t", "source": 5})


def test_records_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DocumentInfo("a", "b").title = "c"  # type: ignore[misc]


def test_skipped_names_the_file_and_line() -> None:
    assert str(Skipped("c.jsonl", "not JSON", 4)) == "c.jsonl:4: not JSON"
    assert str(Skipped("a.txt", "empty file")) == "a.txt: empty file"
