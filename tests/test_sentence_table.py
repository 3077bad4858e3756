from __future__ import annotations

from index.records import DocumentInfo, Sentence
from index.sentence_table import SentenceTableBuilder


def test_documents_sentences_and_texts_round_trip() -> None:
    builder = SentenceTableBuilder()
    a = [Sentence("a", 1, 1, 0, 6, "Héllo."), Sentence("a", 1, 2, 7, 13, "World.")]
    builder.add(DocumentInfo("a", "A"), a)
    builder.add(DocumentInfo("empty", "E"), [])
    builder.add(DocumentInfo("b", "B"), [Sentence("b", 2, 1, 10, 14, "日本語。")])
    table = builder.build()
    assert len(table) == 3
    assert [table.sentence(i) for i in range(3)] == [*a, Sentence("b", 2, 1, 10, 14, "日本語。")]
    assert [table.doc_index(i) for i in range(3)] == [0, 0, 2]
    assert table.doc_range(1) == range(2, 2)
    assert table.doc_range(2) == range(2, 3)
