from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.records import DocumentInfo, Hit, Sentence, Skipped, Span, flowing


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


def test_a_line_break_inside_a_sentence_is_shown_as_one_space() -> None:
    text = "The garden has 40 raised beds,\nwhich residents\r\n   share   with\n\tothers."
    words = ("raised", "beds", "residents", "share", "others")
    spans = tuple(Span(text.index(w), text.index(w) + len(w)) for w in words)
    hit = Hit(1, 1.0, Sentence("d", 1, 1, 0, len(text), text), DocumentInfo("d", "T"), words, spans)
    shown, moved = hit.shown
    assert shown == "The garden has 40 raised beds, which residents share   with others."
    assert [shown[s.start : s.end] for s in moved] == list(words)
    assert hit.sentence.shown == shown
    assert hit.to_json()["text"] == text  # the stored text and offsets stay exact


@given(st.lists(st.sampled_from(["word", "x", " ", "  ", "\n", "\r\n", "\t", " \n "]), max_size=40))
def test_shown_text_keeps_every_word_and_moves_its_span(parts: list[str]) -> None:
    text = "".join(parts)
    spans = tuple(Span(m.start(), m.end()) for m in re.finditer(r"\S+", text))
    shown, moved = flowing(text, spans)
    assert "\n" not in shown and "\r" not in shown
    assert [shown[s.start : s.end] for s in moved] == [text[s.start : s.end] for s in spans]


def test_a_hit_lists_the_other_articles_quoting_it_only_when_there_are_some() -> None:
    sentence = Sentence("d", 1, 1, 0, 5, "Hello")
    hit = Hit(1, 1.0, sentence, DocumentInfo("d", "T"), ("Hello",), (Span(0, 5),))
    assert "also_in" not in hit.to_json()
    other = DocumentInfo("e", "T2", source="Wire", published="2015-10-10", url="https://e.example")
    cited = dataclasses.replace(hit, also_in=(other,)).to_json()["also_in"]
    assert cited == [
        {
            "doc_id": "e",
            "title": "T2",
            "source": "Wire",
            "published": "2015-10-10",
            "url": "https://e.example",
        }
    ]
    assert "also_in_count" not in hit.to_json()
    assert dataclasses.replace(hit, also_in=(other,)).to_json()["also_in_count"] == 1
    counted = dataclasses.replace(hit, also_in=(other,), also_in_count=30)
    assert counted.to_json()["also_in_count"] == 30 and len(counted.to_json()["also_in"]) == 1
