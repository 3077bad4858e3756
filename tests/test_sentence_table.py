"""The sentence table: positions and texts by sentence id, built one way or the other."""

from __future__ import annotations

from array import array

from index.batches import Batch
from index.records import DocumentInfo, Sentence
from index.sentence_table import SentenceTableBuilder

A, B = DocumentInfo("a", "A"), DocumentInfo("b", "B")


def test_sentences_documents_and_ranges() -> None:
    builder = SentenceTableBuilder()
    builder.add(A, [Sentence("a", 1, 1, 0, 5, "Héllo"), Sentence("a", 1, 2, 6, 9, "you")])
    builder.add(B, [])
    builder.add(DocumentInfo("c", "C"), [Sentence("c", 2, 1, 3, 6, "end")])
    table = builder.build()
    assert len(table) == 3
    assert table.text(0) == "Héllo"
    assert table.sentence(2) == Sentence("c", 2, 1, 3, 6, "end")
    assert table.doc_index(1) == 0 and table.doc_index(2) == 2
    assert table.doc_range(1) == range(2, 2)


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
