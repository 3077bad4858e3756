"""Pages: the article found in the page, without the page around it."""

from __future__ import annotations

from pathlib import Path

from index.articles.corpus import read_corpus
from index.articles.html import extract_article, parse_html
from index.records import Document, Skipped
from tests.web_pages import HARBOUR, news_page

BASE = "https://bay-courier.example"
NAV_ONLY = "<html><body><nav><a href='/'>Home</a> <a href='/x'>Sport</a></nav></body></html>"


def test_the_article_is_found_without_navigation_adverts_or_comments() -> None:
    article = extract_article(news_page(HARBOUR, BASE))
    assert article is not None
    assert article.title == HARBOUR.title and article.paragraphs == HARBOUR.paragraphs
    assert article.url == f"{BASE}/news/{HARBOUR.slug}"  # the canonical link
    assert (article.published, article.author, article.outlet, article.language) == (
        "2024-03-05",
        "Dana Whitfield",
        "The Bay Courier",
        "en-GB",
    )


def test_a_page_without_an_article_gives_none() -> None:
    assert extract_article(NAV_ONLY) is None
    assert extract_article("") is None
    assert extract_article("<p>Too short to be an article.</p>") is None


def test_a_saved_page_is_read_as_its_article() -> None:
    document = parse_html("saved/harbour.html", news_page(HARBOUR, BASE), path="saved/harbour.html")
    assert isinstance(document, Document)
    assert document.info.title == HARBOUR.title
    assert document.info.url == f"{BASE}/news/{HARBOUR.slug}"
    assert document.info.published == "2024-03-05"
    texts = [document.text[p.start : p.end] for p in document.paragraphs]
    assert texts == list(HARBOUR.paragraphs)


def test_html_files_in_a_corpus_are_read_and_empty_pages_skipped(tmp_path: Path) -> None:
    (tmp_path / "harbour.html").write_text(news_page(HARBOUR, BASE), encoding="utf-8")
    (tmp_path / "menu.htm").write_text(NAV_ONLY, encoding="utf-8")
    (tmp_path / "latin.html").write_bytes(
        news_page(HARBOUR, BASE)
        .replace("utf-8", "iso-8859-1")
        .replace("Mayor", "Maire é")
        .encode("latin-1")
    )
    items = list(read_corpus(tmp_path))
    assert [type(i).__name__ for i in items] == ["Document", "Document", "Skipped"]
    harbour, latin, menu = items
    assert isinstance(harbour, Document) and harbour.info.title == HARBOUR.title
    assert isinstance(latin, Document) and "Maire é" in latin.text
    assert isinstance(menu, Skipped) and menu.reason == "no article text found in the page"
