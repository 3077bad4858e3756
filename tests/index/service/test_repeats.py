from __future__ import annotations

import pytest

from index.records import DocumentInfo
from index.service.repeats import Shown, also_in, distinct, distinct_among


def test_a_repeat_is_shown_once_with_the_later_ones_attached() -> None:
    order = [(7, 3.0), (2, 2.9), (9, 2.5), (4, 2.0)]
    assert distinct(order, [11, 11, 12, 11], 5) == [Shown(7, 3.0, (2, 4)), Shown(9, 2.5)]


def test_distinct_sentences_are_all_shown_in_order() -> None:
    order = [(1, 2.0), (2, 2.0), (3, 1.0)]
    assert distinct(order, [5, 6, 7], 5) == [Shown(1, 2.0), Shown(2, 2.0), Shown(3, 1.0)]


@pytest.mark.parametrize("wanted", [0, 1, 2])
def test_at_most_wanted_are_shown_and_unshown_ones_collect_no_repeats(wanted: int) -> None:
    order = [(1, 3.0), (2, 2.0), (3, 1.0), (4, 0.5)]
    expected = [Shown(1, 3.0, (3,)), Shown(2, 2.0, (4,))][:wanted]
    assert distinct(order, [8, 9, 8, 9], wanted) == expected


def test_keys_further_down_are_read_only_when_copies_took_the_places() -> None:
    order = [(i, 10.0 - i) for i in range(8)]
    keys = {0: 5, 1: 5, 2: 5, 3: 5, 4: 6, 5: 5, 6: 7, 7: 8}
    asked: list[list[int]] = []

    def keys_of(ids: list[int]) -> list[int]:
        asked.append(ids)
        return [keys[i] for i in ids]

    # Two wanted: the first four are copies of one sentence, so the rest is read too.
    shown = distinct_among(order, 2, keys_of)
    assert shown == [Shown(0, 10.0, (1, 2, 3, 5)), Shown(4, 6.0)]
    assert asked == [[0, 1, 2, 3], [4, 5, 6, 7]]
    # One wanted: found among the first two, nothing more is read.
    asked.clear()
    assert distinct_among(order, 1, keys_of) == [Shown(0, 10.0, (1,))]
    assert asked == [[0, 1]]
    # Fewer distinct sentences than wanted in the whole order: every one is shown.
    asked.clear()
    assert len(distinct_among(order, 6, keys_of)) == 4 and len(asked) == 1


def test_the_other_documents_are_listed_once_and_never_the_hits_own() -> None:
    docs = [DocumentInfo(name, name.upper()) for name in "abc"]
    held = {1: 0, 2: 1, 3: 1, 4: 2, 5: 1, 6: 0}  # sentence id: document number
    asked: list[list[int]] = []

    def numbers_of(ids: list[int]) -> list[int]:
        asked.append(ids)
        return [held[i] for i in ids]

    shown = [Shown(1, 3.0, (2, 3, 6)), Shown(5, 2.0), Shown(4, 1.0, (1,))]
    assert also_in(shown, numbers_of, docs.__getitem__) == [
        ((docs[1],), 1),
        ((), 0),
        ((docs[0],), 1),
    ]
    assert asked == [[1, 2, 3, 6, 5, 4, 1]]  # one lookup for every hit
    asked.clear()
    assert also_in([Shown(1, 1.0), Shown(2, 1.0)], numbers_of, docs.__getitem__) == [
        ((), 0),
        ((), 0),
    ]
    assert asked == []


def test_beyond_the_first_few_other_documents_are_counted_not_listed() -> None:
    repeats = tuple(range(1, 31))  # thirty copies, each in an article of its own

    def numbers_of(ids: list[int]) -> list[int]:
        return list(ids)

    named: list[int] = []

    def document(number: int) -> DocumentInfo:
        named.append(number)
        return DocumentInfo(str(number), f"T{number}")

    ((listed, count),) = also_in([Shown(0, 1.0, repeats)], numbers_of, document, listed=5)
    assert [doc.doc_id for doc in listed] == ["1", "2", "3", "4", "5"] and count == 30
    assert named == [1, 2, 3, 4, 5]  # only those listed are looked up
