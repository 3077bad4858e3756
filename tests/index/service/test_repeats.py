from __future__ import annotations

import pytest

from index.records import DocumentInfo
from index.service.repeats import Shown, also_in, distinct


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


def test_the_other_documents_are_listed_once_and_never_the_hits_own() -> None:
    a, b, c = DocumentInfo("a", "A"), DocumentInfo("b", "B"), DocumentInfo("c", "C")
    held = {1: a, 2: b, 3: b, 4: c}
    asked: list[list[int]] = []

    def documents_of(ids: list[int]) -> list[DocumentInfo]:
        asked.append(ids)
        return [held[i] for i in ids]

    assert also_in([(1, 2, 3), (), (4,)], [a, b, c], documents_of) == [(b,), (), ()]
    assert asked == [[1, 2, 3, 4]]  # one lookup for every hit
    asked.clear()
    assert also_in([(), ()], [a, b], documents_of) == [(), ()]
    assert asked == []
