from __future__ import annotations

from index.articles.paragraphs import paragraph_spans, trim
from index.records import Span


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in paragraph_spans(text)]


def test_blank_lines_separate_paragraphs() -> None:
    assert texts("One two.\n\n  \nThree four.\r\n\r\nFive") == ["One two.", "Three four.", "Five"]


def test_a_line_break_after_a_sentence_end_starts_a_paragraph() -> None:
    assert texts("First ends.\nSecond starts") == ["First ends.", "Second starts"]


def test_a_hard_wrapped_sentence_stays_whole() -> None:
    assert texts("This sentence is\nwrapped in the middle.") == [
        "This sentence is\nwrapped in the middle."
    ]


def test_trim_drops_white_space_and_empty_spans() -> None:
    assert trim("  ab  ", Span(0, 6)) == Span(2, 4)
    assert trim("    ", Span(0, 4)) is None


def test_spans_can_be_limited_to_a_region() -> None:
    text = "Header\n\nBody one.\n\nBody two."
    spans = paragraph_spans(text, text.index("Body"))
    assert [text[s.start : s.end] for s in spans] == ["Body one.", "Body two."]
