"""Keeping articles as Markdown files, once per citation URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.articles.corpus import read_corpus
from index.articles.web_article import Provenance, WebArticle
from index.records import Document
from index.web.store import (
    article_relpath,
    existing_article,
    normalized_url,
    remove_articles,
    slug,
    write_article,
)

ARTICLE = WebArticle(
    title="Café owners win the « best terrace » prize!",
    paragraphs=("The café on the square won the prize on Sunday.",),
    published="2024-03-05",
    outlet="The Bay Courier",
    url="https://News.Example/a?id=1#top",
)


def test_names_are_safe_and_stable() -> None:
    assert slug(ARTICLE.title) == "cafe-owners-win-the-best-terrace-prize"
    assert slug("«»") == "article"
    assert normalized_url("HTTPS://News.Example/a?id=1#top") == "https://news.example/a?id=1"
    path = article_relpath("https://News.Example/a?id=1#top", ARTICLE.title)
    assert path.startswith("news.example/cafe-owners-win-the-best-terrace-prize-")
    assert path == article_relpath("https://news.example/a?id=1", "Other title")[:13] + path[13:]


def test_an_article_is_written_once_and_read_back(tmp_path: Path) -> None:
    path = write_article(tmp_path, ARTICLE.url or "", ARTICLE, Provenance(guid="g-1"))
    assert existing_article(tmp_path, "https://news.example/a?id=1") == path
    with pytest.raises(FileExistsError):
        write_article(tmp_path, "https://news.example/a?id=1", ARTICLE, Provenance())
    (document,) = list(read_corpus(tmp_path))
    assert isinstance(document, Document)
    assert document.info.title == ARTICLE.title and document.info.url == ARTICLE.url
    assert document.info.published == "2024-03-05"
    assert [p.name for p in tmp_path.rglob(".*")] == []  # no temp file left


def test_removing_written_files_removes_emptied_folders(tmp_path: Path) -> None:
    path = write_article(tmp_path, "https://news.example/b", ARTICLE, Provenance())
    remove_articles([path])
    assert list(tmp_path.iterdir()) == []
