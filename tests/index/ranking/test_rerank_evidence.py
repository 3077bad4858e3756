"""The re-ranker's evidence from a hand-made grid of candidates × question terms."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pytest

from index.ranking.rerank_evidence import (
    Question,
    coverage,
    form_columns,
    lacks_rarest,
    pair_shares,
    proximity,
    variant_shares,
)
from index.ranking.rerank_gather import Evidence
from index.terms.answer_types import AnswerType, Asked
from index.terms.sentence_facts import QuestionCues


def _question(idf: dict[str, float], stand_ins: dict[str, tuple[str, ...]]) -> Question:
    related = {r: 1.0 for rs in stand_ins.values() for r in rs}
    asked = Asked(frozenset(), frozenset(idf))
    cues = QuestionCues.of(AnswerType.OTHER, asked)
    return Question(tuple(idf), idf, AnswerType.OTHER, asked, cues, related, stand_ins)


def _matches(position: list[list[int]], before: list[list[bool]], distinct: int) -> Evidence:
    """Evidence for a grid of candidates × columns (the first ``distinct`` are the
    question's terms, as the question's idf lists them)."""
    where = np.array(position, dtype=np.int32).reshape(len(position), -1)
    rows = where.shape[0]
    no = np.zeros(rows, dtype=np.bool_)
    return Evidence(
        weight=(where >= 0).astype(np.float64),
        position=where,
        before=np.array(before, dtype=np.bool_).reshape(where.shape),
        article_df=np.ones(where.shape, dtype=np.int64),
        doc=np.zeros(rows, dtype=np.int64),
        doc_size=np.ones(rows, dtype=np.int64),
        opening=no,
        next_in_doc=no,
        led=no,
        next_led=no,
        fits=no,
        lead=no,
        title=np.zeros(rows),
    )


def _opened(evidence: Evidence, opening: npt.NDArray[np.bool_]) -> Evidence:
    return replace(evidence, opening=opening)


def test_proximity_is_the_share_of_question_pairs_found_close_together() -> None:
    assert proximity(["super", "bowl"], ["the", "super", "bowl", "game"]) == 1.0
    assert proximity(["super", "bowl"], ["super", "a", "b", "c", "d", "bowl"]) == 0.0
    assert proximity(["one"], ["one"]) == 0.0


def test_pair_shares_counts_adjacent_question_terms_within_the_window() -> None:
    question = _question({"super": 2.0, "bowl": 2.0, "winner": 3.0}, {})
    grid = _matches([[0, 1, 2], [0, 7, 8], [0, -1, 1]], [[False] * 3] * 3, distinct=3)
    assert pair_shares(question, grid).tolist() == [1.0, 0.5, 0.0]


def test_lacks_rarest_checks_the_rarest_term_its_context_and_its_stand_ins() -> None:
    # Columns: "bowl" (common), "zeppelin" (rarest), then "airship", related to it.
    question = _question({"bowl": 1.0, "zeppelin": 5.0}, {"zeppelin": ("airship",)})
    grid = _matches(
        [[0, 3, -1], [0, -1, -1], [0, -1, -1], [-1, -1, 2], [0, -1, -1]],
        [[False] * 3, [False, True, False], [False, True, False], [False] * 3, [False] * 3],
        distinct=2,
    )
    opening = np.array([False, False, True, False, False])
    # Holds it; its sentence before does; the one before is another article's; a stand-in; none.
    assert lacks_rarest(question, _opened(grid, opening)).tolist() == [
        False,
        False,
        True,
        False,
        True,
    ]


def test_lacks_rarest_is_false_for_a_question_without_terms() -> None:
    grid = _matches([[], []], [[], []], distinct=0)
    assert lacks_rarest(_question({}, {}), _opened(grid, np.zeros(2, dtype=np.bool_))).tolist() == [
        False,
        False,
    ]


def test_lacks_rarest_skips_a_rarer_word_no_candidate_holds() -> None:
    # "quokka" (rarest) is in no candidate: among the rest "zeppelin" is the rarest.
    question = _question({"bowl": 1.0, "quokka": 9.0, "zeppelin": 5.0}, {})
    grid = _matches([[0, -1, 2], [0, -1, -1]], [[False] * 3] * 2, distinct=3)
    assert lacks_rarest(question, _opened(grid, np.zeros(2, dtype=np.bool_))).tolist() == [
        False,
        True,
    ]
    nobody = _matches([[-1, -1, -1], [-1, -1, -1]], [[False] * 3] * 2, distinct=3)
    assert lacks_rarest(question, _opened(nobody, np.zeros(2, dtype=np.bool_))).tolist() == [
        False,
        False,
    ]


def test_coverage_is_the_share_of_the_questions_idf_a_candidate_holds() -> None:
    question = _question({"bowl": 1.0, "zeppelin": 3.0}, {"zeppelin": ("airship",)})
    # The related column ("airship") is held by the last candidate but does not count.
    grid = _matches([[0, 2, -1], [0, -1, -1], [-1, -1, 1]], [[False] * 3] * 3, distinct=2)
    assert coverage(question, grid).tolist() == pytest.approx([1.0, 0.25, 0.0])


def test_variant_shares_credit_a_lacked_term_held_through_a_shorter_form() -> None:
    plain = _question({"inventor": 3.0, "telephon": 1.0}, {"telephon": ("phone",)})
    question = replace(plain, variants={"inventor": ("invent", "inve")})
    assert question.forms == ("invent", "inve")
    assert form_columns(question) == [[3, 4], []]  # after the two terms and the related one
    # Columns: inventor, telephon, phone (related), invent, inve (forms).
    grid = _matches(
        [[-1, 0, -1, 3, -1], [1, 0, -1, 3, -1], [-1, 0, -1, -1, -1], [-1, -1, -1, -1, 2]],
        [[False] * 5] * 4,
        distinct=2,
    )
    # Only a candidate lacking "inventor" is credited for a form of it, with its idf share.
    assert variant_shares(question, grid).tolist() == pytest.approx([0.75, 0.0, 0.0, 0.75])
    # Without the forms' columns (the lever off) nothing is credited.
    narrow = _matches([[-1, 0, -1]], [[False] * 3], distinct=2)
    assert variant_shares(question, narrow).tolist() == [0.0]
