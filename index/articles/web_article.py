"""An article taken from a web page, and the Markdown file it is kept as.

The file is what an admin sees in the corpus folder: front matter (``title``,
``date``, ``source``, ``url``, ``author``, ``language``, ``fetched_at``,
``guid``; values JSON-quoted, which YAML reads too), the title as a heading,
then one paragraph per block. :mod:`index.articles.markdown` reads it back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
# Lines the Markdown reader would take for a heading or a code fence.
_MARKUP_START = re.compile(r"^([ \t]{0,3})(#{1,6}[ \t]|```|~~~)", re.M)


@dataclass(frozen=True, slots=True)
class WebArticle:
    """What extraction found in a page: the citation fields and the body's paragraphs."""

    title: str
    paragraphs: tuple[str, ...]
    published: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None

    @property
    def text_chars(self) -> int:
        """How many characters of body text the article has."""
        return sum(len(paragraph) for paragraph in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where and when a page was fetched: the file's ``fetched_at`` and ``guid`` keys."""

    fetched_at: str | None = None
    guid: str | None = None


def to_markdown(article: WebArticle, provenance: Provenance = Provenance()) -> str:
    """The article as a Markdown file with front matter (see the module docstring)."""
    fields = {
        "title": article.title,
        "date": article.published,
        "source": article.outlet or article.author,
        "url": article.url,
        "author": article.author,
        "language": article.language,
        "fetched_at": provenance.fetched_at,
        "guid": provenance.guid,
    }
    lines = ["---"]
    lines += [f"{key}: {_quoted(value)}" for key, value in fields.items() if value]
    lines += ["---", "", f"# {_one_line(article.title)}", ""]
    for paragraph in article.paragraphs:
        lines += [_MARKUP_START.sub(r"\1\\\2", paragraph.strip()), ""]
    return "\n".join(lines)


def _one_line(value: str) -> str:
    return " ".join(_CONTROL.sub(" ", value).split())


def _quoted(value: str) -> str:
    return json.dumps(_one_line(value), ensure_ascii=False)
