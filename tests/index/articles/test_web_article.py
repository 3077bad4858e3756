"""Web articles as Markdown files: front matter the Markdown reader reads back."""

from __future__ import annotations

from index.articles.markdown import parse_markdown
from index.articles.web_article import Provenance, WebArticle, to_markdown

ARTICLE = WebArticle(
    title='The "quoted" title: a colon\nand a line break',
    paragraphs=(
        "# Not a heading, but the start of a sentence.",
        "```not a fence``` either.",
        "A plain paragraph.",
    ),
    published="2024-03-05T09:30:00+00:00",
    author="Dana Whitfield",
    outlet=None,
    url="https://news.example/a",
    language="en",
)


def test_the_file_round_trips_through_the_markdown_reader() -> None:
    text = to_markdown(ARTICLE, Provenance("2024-06-01T00:00:00+00:00", "urn:a"))
    assert 'title: "The \\"quoted\\" title: a colon and a line break"' in text
    assert 'guid: "urn:a"' in text and 'fetched_at: "2024-06-01T00:00:00+00:00"' in text
    document = parse_markdown("a.md", text)
    info = document.info
    assert info.title == 'The "quoted" title: a colon and a line break'
    assert info.url == "https://news.example/a"
    assert info.published == "2024-03-05T09:30:00+00:00"
    assert info.source == "Dana Whitfield"  # no outlet: the author is the source
    paragraphs = [document.text[p.start : p.end] for p in document.paragraphs]
    assert len(paragraphs) == 3 and paragraphs[2] == "A plain paragraph."
    assert paragraphs[0].endswith("# Not a heading, but the start of a sentence.")


def test_text_chars_counts_the_body() -> None:
    assert WebArticle("t", ("abc", "de")).text_chars == 5
