from __future__ import annotations

from dataclasses import replace

from index.cli.terminal import (
    citation,
    highlight,
    no_answer,
    render_answer,
    render_stats,
)
from index.records import Answer, DocumentInfo, Hit, IndexStats, Sentence, Span


def hit() -> Hit:
    sentence = Sentence("d", 2, 3, 0, 13, "Cook said so.")
    document = DocumentInfo("d", "Title", source="Outlet", published="2015-10-10T12:31:00+05:30")
    return Hit(1, 3.2109, sentence, document, ("Cook",), (Span(0, 4),))


def test_highlight_marks_spans_in_both_styles() -> None:
    assert highlight("Cook said so.", [Span(0, 4), Span(5, 9)], False) == "**Cook** **said** so."
    assert highlight("Cook said", [Span(0, 4)], True) == "\033[1mCook\033[0m said"


def test_citation_line() -> None:
    assert citation(hit()) == "Title · Outlet · 10 Oct 2015 · ¶2 s3 · confidence 0% · score 3.21"


def test_other_articles_quoting_the_sentence_are_named_the_first_few() -> None:
    others = tuple(
        DocumentInfo(f"o{i}", f"Copy {i}", source="Wire" if i else None) for i in range(5)
    )
    lines = render_answer(Answer("q", ("cook",), (replace(hit(), also_in=others),)), False, 6)
    assert lines.splitlines()[2] == "   also in: Copy 0; Copy 1 (Wire); Copy 2 (Wire) and 2 more"
    # Beyond the articles listed, the rest are counted.
    counted = replace(hit(), also_in=others, also_in_count=40)
    assert render_answer(Answer("q", ("cook",), (counted,)), False, 6).endswith("and 37 more")
    assert len(render_answer(Answer("q", ("cook",), (hit(),)), False, 1).splitlines()) == 2


def test_answer_and_no_answer() -> None:
    answer = Answer("q", ("cook",), (hit(),))
    assert render_answer(answer, False, 1).splitlines()[0] == "1. **Cook** said so."
    assert "1 indexed article " in no_answer(Answer("q", ("x",), ()), 1)
    assert "no words to search" in no_answer(Answer("the", (), ()), 3)


def test_stats() -> None:
    stats = IndexStats(1, 14, 107, 169, "t", 0.5, 2048, "/c", 1.2, 0.75)
    assert "sentences: 14" in render_stats(stats)


def test_withheld_matches_are_counted_and_the_way_to_see_them_named() -> None:
    message = no_answer(Answer("q", ("x",), (), withheld=2), 3)
    assert "2 weak matches withheld: low confidence" in message
    assert "--min-confidence 0 shows them" in message
    assert Answer("q", ("x",), (), withheld=2).to_json()["withheld"] == 2
