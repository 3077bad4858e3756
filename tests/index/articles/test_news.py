from __future__ import annotations

from index.articles.news import parse_news
from tests.conftest import FIXTURE_ARTICLE


def seed() -> tuple[str, list[str]]:
    text = FIXTURE_ARTICLE.read_text(encoding="utf-8")
    document = parse_news("seed.txt", text)
    return text, [text[p.start : p.end] for p in document.paragraphs]


def test_seed_header_becomes_metadata() -> None:
    document = parse_news("seed.txt", FIXTURE_ARTICLE.read_text(encoding="utf-8"), path="seed.txt")
    info = document.info
    assert info.title == "Russia to resume talks on air safety in Syria"
    assert info.section == "Top Select"
    assert info.published == "2015-10-10T12:31:00+05:30"
    assert info.source == "Metrovaartha"
    assert info.place == "Washington"
    assert info.path == "seed.txt"


def test_header_lines_and_dateline_are_never_body_text() -> None:
    text, paragraphs = seed()
    body = "\n".join(paragraphs)
    for header in ("Top Select", "Saturday, Oct 10", "Metrovaartha", "A A A", "Washington |"):
        assert header not in body
    assert paragraphs[0].startswith("Russia has agreed to resume talks")
    assert text.index(paragraphs[0]) > text.index("A A A")


def test_without_a_date_the_first_short_line_is_the_title() -> None:
    document = parse_news("a/b_note.txt", "A short title\n\nThe body says something.")
    assert document.info.title == "A short title"
    assert document.info.published is None
    assert [document.text[p.start : p.end] for p in document.paragraphs] == [
        "The body says something."
    ]


def test_a_file_of_plain_prose_takes_its_title_from_the_file_name() -> None:
    document = parse_news("notes/air_safety-talks.txt", "Only one long sentence of prose.")
    assert document.info.title == "air safety talks"
    assert len(document.paragraphs) == 1


def test_wire_dateline_with_agency() -> None:
    text = "Talks resume\nOct 10, 2015\n\nLONDON (Reuters) - Ministers met on Friday."
    document = parse_news("x.txt", text)
    assert document.info.place == "LONDON"
    assert document.info.source == "Reuters"
    first = document.paragraphs[0]
    assert text[first.start : first.end] == "Ministers met on Friday."


def test_a_title_before_a_long_first_paragraph_is_kept_and_never_a_sentence() -> None:
    body = "The council approved the garden budget after a long debate. " * 10
    text = f"Garden budget approved\n{body}\n\nA second paragraph."
    document = parse_news("notes/x.txt", text)
    assert document.info.title == "Garden budget approved"
    paragraphs = [text[p.start : p.end] for p in document.paragraphs]
    assert paragraphs[0].startswith("The council approved") and len(paragraphs[0]) > 200
    assert all("Garden budget approved" not in paragraph for paragraph in paragraphs)


def test_a_single_short_line_stays_the_body() -> None:
    document = parse_news("notes/one-line.txt", "Just one line without a full stop")
    assert document.info.title == "one line"
    assert [document.text[p.start : p.end] for p in document.paragraphs] == [
        "Just one line without a full stop"
    ]
