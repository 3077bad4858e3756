from __future__ import annotations

from array import array

from index.records import DocumentInfo, Sentence
from index.storage.batches import Batch
from index.storage.sentence_table import SentenceTableBuilder


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
    chosen = [2, 0, 2, 1]
    assert table.sentences(chosen) == [table.sentence(i) for i in chosen]
    assert table.doc_indices(chosen) == [table.doc_index(i) for i in chosen]
    assert table.sentences([]) == []
    sentences, documents = table.quoted(chosen)
    assert sentences == table.sentences(chosen)
    assert documents == [table.documents[table.doc_index(i)] for i in chosen]
    assert [d.doc_id for d in documents] == ["b", "a", "b", "a"]
    assert table.quoted([]) == ([], [])


A, B = DocumentInfo("a", "A"), DocumentInfo("b", "B")


def test_a_block_adds_what_single_sentences_add() -> None:
    one = SentenceTableBuilder()
    one.add(A, [Sentence("a", 1, 1, 0, 2, "hi")])
    one.add(B, [Sentence("b", 1, 1, 0, 3, "yes"), Sentence("b", 2, 1, 5, 7, "no")])
    block = Batch(
        (A, B),
        sentence_counts=array("i", [1, 2]),
        paragraph=array("i", [1, 1, 2]),
        number=array("i", [1, 1, 1]),
        start=array("q", [0, 0, 5]),
        end=array("q", [2, 3, 7]),
        text_lengths=array("q", [2, 3, 2]),
        texts=bytearray(b"hiyesno"),
    )
    other = SentenceTableBuilder()
    other.add_block(block)
    first, second = one.build(), other.build()
    assert [first.sentence(i) for i in range(3)] == [second.sentence(i) for i in range(3)]
    assert first.doc_first.tolist() == second.doc_first.tolist() == [0, 1, 3]
