"""Reading a corpus folder: which files, how they decode, which parser reads them.

Saved web pages (``.html``) are read the way pages added by link are: the
article in them, found by :mod:`index.articles.html`, without the page around it.

One bad file never stops a build: binary files, text that is not UTF-8, empty
files, files over the size cap and links that leave the corpus are reported as
``Skipped`` with the file's name, and the rest are read. Folders nested more than
:data:`MAX_DEPTH` levels deep are not read (a ``Skipped`` names each); the walk is
iterative, so no depth is a ``RecursionError``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.articles.html import parse_html
from index.articles.jsonl import parse_jsonl
from index.articles.markdown import parse_markdown
from index.articles.news import parse_news
from index.errors import CorpusError
from index.records import Document, Skipped

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
JSONL_SUFFIXES = frozenset({".jsonl"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_JSONL_BYTES = 4 * 1024 * 1024 * 1024
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class CorpusRoot:
    """A corpus folder and the prefix its document ids get (``""`` for the shared corpus).

    Several roots make one index: the bot searches the shared corpus together
    with one server's collection, whose ids are prefixed so they never collide.
    """

    path: Path
    prefix: str = ""


Corpus = Path | Sequence[CorpusRoot]


def as_roots(corpus: Corpus) -> tuple[CorpusRoot, ...]:
    """A corpus given as one folder or as roots, always as roots."""
    return (CorpusRoot(corpus),) if isinstance(corpus, Path) else tuple(corpus)


def describe(corpus: Corpus) -> str:
    """The corpus folders as one line (resolved paths, ``+`` between roots)."""
    return " + ".join(str(root.path.resolve()) for root in as_roots(corpus))


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A candidate file: its path relative to the corpus root and its stat figures."""

    relpath: str
    size: int
    mtime_ns: int


def corpus_files(root: Path) -> list[CorpusFile]:
    """The files a build would read, sorted by path; raises ``CorpusError`` for a bad root."""
    return corpus_listing(root)[0]


def corpus_listing(root: Path) -> tuple[list[CorpusFile], list[str]]:
    """:func:`corpus_files`, and the folders (relative paths) too deep to be read."""
    if not root.exists():
        raise CorpusError(f"corpus folder {root} does not exist")
    if not root.is_dir():
        raise CorpusError(f"corpus path {root} is not a folder")
    if not os.access(root, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder {root} is not readable")
    found: list[CorpusFile] = []
    too_deep: list[str] = []
    for path in _walk(root, too_deep):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append(CorpusFile(path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    folders = sorted(Path(folder).relative_to(root).as_posix() for folder in too_deep)
    return sorted(found, key=lambda item: item.relpath), folders


def fingerprint(corpus: Corpus) -> tuple[CorpusFile, ...]:
    """A cheap summary of the corpus that changes when any file does: every file's
    path (with its root's prefix), size and modification time."""
    return tuple(
        replace(item, relpath=root.prefix + item.relpath)
        for root in as_roots(corpus)
        for item in corpus_files(root.path)
    )


def _walk(root: Path, too_deep: list[str]) -> Iterator[Path]:
    """Article files under ``root``, hidden names and links to folders left out; folders
    more than :data:`MAX_DEPTH` levels down are added to ``too_deep`` instead."""
    pending = [(root, 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = [entry for entry in scan if not entry.name.startswith(".")]
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if depth == MAX_DEPTH:
                    too_deep.append(entry.path)
                else:
                    pending.append((Path(entry.path), depth + 1))
            elif Path(entry.name).suffix.lower() in SUFFIXES:
                yield Path(entry.path)


def read_corpus(
    root: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> Iterator[Document | Skipped]:
    """Every document in the corpus folder, in path order, and a ``Skipped`` per bad file."""
    resolved_root = root.resolve()
    files, too_deep = corpus_listing(root)
    for folder in too_deep:
        yield Skipped(folder, f"a folder nested more than {MAX_DEPTH} levels deep; not read")
    for item in files:
        path = root / item.relpath
        problem = _check_file(path, resolved_root, item, max_file_bytes)
        if problem is not None:
            yield Skipped(item.relpath, problem)
            continue
        yield from read_file(path, item.relpath)


def read_roots(corpus: Corpus) -> Iterator[Document | Skipped]:
    """Every document of every root, ids and paths prefixed with the root's prefix."""
    for root in as_roots(corpus):
        for item in read_corpus(root.path):
            yield _prefixed(item, root.prefix) if root.prefix else item


def _prefixed(item: Document | Skipped, prefix: str) -> Document | Skipped:
    if isinstance(item, Skipped):
        return Skipped(prefix + item.path, item.reason, item.line)
    info = item.info
    path = prefix + info.path if info.path else None
    new_info = replace(info, doc_id=prefix + info.doc_id, path=path)
    return Document(info=new_info, text=item.text, paragraphs=item.paragraphs)


def _check_file(path: Path, root: Path, item: CorpusFile, max_bytes: int) -> str | None:
    if path.is_symlink() and not path.resolve().is_relative_to(root):
        return "a link that points outside the corpus folder"
    if not path.exists():
        return "the file disappeared while the corpus was being read"
    if not path.is_file():
        return "not a regular file"
    cap = DEFAULT_MAX_JSONL_BYTES if path.suffix.lower() in JSONL_SUFFIXES else max_bytes
    if item.size > cap:
        return f"{item.size:,} bytes is over the {cap:,}-byte cap"
    if item.size == 0:
        return "empty file"
    return None


def read_file(path: Path, relpath: str) -> Iterator[Document | Skipped]:
    """The documents of one file (several for JSONL), or why it was skipped."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, relpath)
            return
        if suffix in HTML_SUFFIXES:
            yield _read_html(path, relpath)
            return
        text = decode(path.read_bytes())
    except (OSError, UnicodeError, ValueError) as error:
        yield Skipped(relpath, _describe(error))
        return
    if not text.strip():
        yield Skipped(relpath, "no text in the file")
    elif suffix in MARKDOWN_SUFFIXES:
        yield parse_markdown(relpath, text, path=relpath)
    else:
        yield parse_news(relpath, text, path=relpath)


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (a byte-order mark is dropped); raises ``ValueError`` otherwise."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ValueError("UTF-16 text; save it as UTF-8")
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8"
        ) from None


def _read_html(path: Path, relpath: str) -> Document | Skipped:
    # Bytes, not text: a page names its own encoding (meta charset), which trafilatura reads.
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    return parse_html(relpath, data, path=relpath)


def _read_jsonl(path: Path, relpath: str) -> Iterator[Document | Skipped]:
    with path.open("rb") as handle:
        head = handle.read(8192)
        if b"\x00" in head:
            raise ValueError("binary file (contains NUL bytes)")
        handle.seek(0)
        yield from parse_jsonl(relpath, handle)


def _describe(error: Exception) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, OSError):
        return f"cannot read ({error.strerror or error})"
    return str(error)
