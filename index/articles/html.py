"""HTML pages: the article in them, found with trafilatura, without the page around it.

trafilatura drops navigation, adverts, comments and other boilerplate and reads
the page's metadata (title, date, author, site name, canonical link). The
language comes from the page's ``lang`` attribute. Extraction parses the whole
page, so callers on an event loop run it in a worker thread.
"""

from __future__ import annotations

import re

from index.articles.markdown import parse_markdown
from index.articles.web_article import WebArticle, to_markdown
from index.records import Document, Skipped

MIN_ARTICLE_CHARS = 200
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def extract_article(page: str | bytes, url: str | None = None) -> WebArticle | None:
    """The article in ``page``, or ``None`` when it holds no article text."""
    # Imported here: trafilatura costs a sixth of a second to import, which every
    # ``qabot ask`` would pay although only corpora with pages need it.
    import trafilatura

    tree = trafilatura.load_html(page)
    if tree is None:
        return None
    language = _language(tree.get("lang") or tree.get("xml:lang"))
    found = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if found is None or isinstance(found, dict) or not found.text:
        return None
    paragraphs = tuple(line.strip() for line in found.text.split("\n") if line.strip())
    title = (found.title or "").strip()
    if title and paragraphs and paragraphs[0] == title:  # the page's own heading
        paragraphs = paragraphs[1:]
    article = WebArticle(
        title=title or _first_words(paragraphs),
        paragraphs=paragraphs,
        published=found.date or None,
        author=found.author or None,
        outlet=found.sitename or found.hostname or None,
        url=found.url or url,
        language=language,
    )
    return article if article.text_chars >= MIN_ARTICLE_CHARS else None


def _language(value: object) -> str | None:
    if not isinstance(value, str) or not _LANG.match(value.strip()):
        return None
    return value.strip().replace("_", "-")


def _first_words(paragraphs: tuple[str, ...]) -> str:
    words = paragraphs[0].split()[:12] if paragraphs else []
    return " ".join(words) + (" …" if len(words) == 12 else "")


def parse_html(doc_id: str, page: str | bytes, path: str | None = None) -> Document | Skipped:
    """A saved page in the corpus, read as if it had been added by link.

    The document's text is the article as Markdown (see
    :mod:`index.articles.web_article`), so answers quote the article, never the page.
    """
    article = extract_article(page)
    if article is None:
        return Skipped(path or doc_id, "no article text found in the page")
    return parse_markdown(doc_id, to_markdown(article), path=path)
