"""Keeping fetched articles as Markdown files in a corpus folder.

A page is stored as ``<host>/<title-slug>-<hash>.md``, where the hash is of its
citation URL (fragment dropped, scheme and host lower-cased): the same article
reached twice, by link or by two feeds, maps to the same hash and is kept once.
Files are written to a hidden temp file and ``os.replace``-d into place.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from index.articles.web_article import Provenance, WebArticle, to_markdown

_SLUG_CHARS = 60
_HOST = re.compile(r"[^a-z0-9.-]+")


def normalized_url(url: str) -> str:
    """``url`` with its fragment dropped and its scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def url_key(url: str) -> str:
    """A short stable key of a URL, used in file names."""
    return hashlib.sha256(normalized_url(url).encode("utf-8")).hexdigest()[:12]


def article_relpath(url: str, title: str) -> str:
    """Where the article cited as ``url`` is kept, relative to the corpus folder."""
    host = _HOST.sub("-", (urlsplit(url).hostname or "web").lower()).strip("-.") or "web"
    return f"{host}/{slug(title)}-{url_key(url)}.md"


def slug(title: str) -> str:
    """A file-name-safe, lower-case ASCII form of ``title``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words)[:_SLUG_CHARS].strip("-") or "article"


def existing_article(folder: Path, url: str) -> Path | None:
    """The file already holding the article cited as ``url``, if there is one."""
    if not folder.is_dir():
        return None
    pattern = f"*-{url_key(url)}.md"
    return next((path for path in sorted(folder.glob(f"*/{pattern}"))), None)


def write_article(folder: Path, url: str, article: WebArticle, provenance: Provenance) -> Path:
    """Write ``article`` (cited as ``url``) into ``folder``; returns the new file's path.

    Raises ``FileExistsError`` when the article is already kept there.
    """
    existing = existing_article(folder, url)
    if existing is not None:
        raise FileExistsError(existing)
    target = folder / article_relpath(url, article.title)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with temp.open("w", encoding="utf-8") as handle:
            handle.write(to_markdown(article, provenance))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def remove_articles(paths: list[Path]) -> None:
    """Delete files this ingest wrote (when the index could not take them)."""
    for path in paths:
        path.unlink(missing_ok=True)
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()
