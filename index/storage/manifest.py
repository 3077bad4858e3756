"""The manifest of a saved index: what it was built from and with, and its member files.

``manifest.json`` is read before anything else of a generation and decides whether
the index is current, so it is parsed strictly: a missing or unknown key, a value of
the wrong type or a damaged entry makes the whole index corrupt (and rebuilt), never a
``KeyError`` three modules later.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from index.articles.corpus import CorpusFile
from index.errors import IndexCorruptError
from index.records import Skipped

FORMAT = "qabot-index"
FORMAT_VERSION = 5


@dataclass(frozen=True, slots=True)
class MemberFile:
    """One file of a generation: its size and CRC-32, checked when it is read."""

    size: int
    crc32: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """How and from what an index was built, and (once saved) the files it consists of.

    ``fingerprint`` lists the corpus files (prefixed paths, sizes, modification
    times) as they were when the build started: a different list means the corpus
    changed since.
    """

    analyzer: int
    k1: float
    b: float
    corpus: str
    built_at: str
    build_seconds: float
    fingerprint: tuple[CorpusFile, ...]
    skipped: tuple[Skipped, ...] = ()
    updated_at: str | None = None
    files: Mapping[str, MemberFile] = field(default_factory=dict)

    def with_files(self, files: Mapping[str, MemberFile]) -> Manifest:
        """This manifest describing the member ``files`` of a saved generation."""
        return replace(self, files=dict(files))

    def to_json(self) -> dict[str, Any]:
        """The ``manifest.json`` object."""
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "files": {name: {"bytes": f.size, "crc32": f.crc32} for name, f in self.files.items()},
            "analyzer": self.analyzer,
            "k1": self.k1,
            "b": self.b,
            "corpus": self.corpus,
            "built_at": self.built_at,
            "build_seconds": round(self.build_seconds, 3),
            "updated_at": self.updated_at,
            "fingerprint": [[f.relpath, f.size, f.mtime_ns] for f in self.fingerprint],
            "skipped": [{"path": s.path, "reason": s.reason, "line": s.line} for s in self.skipped],
        }

    @classmethod
    def from_json(cls, data: object, where: str) -> Manifest:
        """Parse ``manifest.json``; raises :class:`IndexCorruptError` naming ``where``."""
        check_format(data, where)
        try:
            return _parsed(_Reader(data).only(_KEYS))
        except (KeyError, TypeError, ValueError) as error:
            raise IndexCorruptError(f"{where} has a damaged manifest ({error})") from None


def check_format(data: object, where: str) -> None:
    """Raise :class:`IndexCorruptError` unless ``data`` is a manifest of this format version."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IndexCorruptError(f"{where} is not a qabot index")
    if data.get("version") != FORMAT_VERSION:
        raise IndexCorruptError(
            f"{where} has index format version {data.get('version')!r}; "
            f"this qabot reads version {FORMAT_VERSION}"
        )


_KEYS = frozenset(
    {"format", "version", "files", "analyzer", "k1", "b", "corpus", "built_at"}
    | {"build_seconds", "updated_at", "fingerprint", "skipped"}
)


def _parsed(read: _Reader) -> Manifest:
    return Manifest(
        analyzer=read.integer("analyzer"),
        k1=read.number("k1"),
        b=read.number("b"),
        corpus=read.text("corpus"),
        built_at=read.text("built_at"),
        build_seconds=read.number("build_seconds"),
        fingerprint=tuple(_corpus_file(item) for item in read.items("fingerprint")),
        skipped=tuple(_skipped(item) for item in read.items("skipped")),
        updated_at=read.optional_text("updated_at"),
        files={str(name): _member(entry) for name, entry in read.mapping("files").items()},
    )


class _Reader:
    """Typed access to a JSON object's keys: the wrong type raises ``TypeError``."""

    def __init__(self, data: object) -> None:
        if not isinstance(data, Mapping):
            raise TypeError("an entry is not a JSON object")
        self._data: Mapping[str, Any] = data

    def only(self, keys: frozenset[str]) -> _Reader:
        """This reader, once the object is known to hold no key but ``keys``."""
        unknown = sorted(set(self._data) - keys)
        if unknown:
            raise KeyError(f"unknown key {unknown[0]!r}")
        return self

    def value(self, key: str, kind: type | tuple[type, ...]) -> Any:
        value = self._data[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise TypeError(f"{key!r} is not a {kind}")
        return value

    def optional(self, key: str) -> Any:
        return self._data.get(key)

    def text(self, key: str) -> str:
        return str(self.value(key, str))

    def optional_text(self, key: str) -> str | None:
        return None if self.optional(key) is None else self.text(key)

    def integer(self, key: str) -> int:
        return int(self.value(key, int))

    def number(self, key: str) -> float:
        value = float(self.value(key, (int, float)))
        if not math.isfinite(value):
            raise ValueError(f"{key!r} is not a finite number")
        return value

    def items(self, key: str) -> list[Any]:
        return list(self.value(key, list))

    def mapping(self, key: str) -> dict[str, Any]:
        return dict(self.value(key, dict))


def _corpus_file(item: Any) -> CorpusFile:
    path, size, mtime_ns = item
    if not isinstance(path, str) or type(size) is not int or type(mtime_ns) is not int:
        raise TypeError("a fingerprint entry is not [path, size, mtime]")
    return CorpusFile(path, size, mtime_ns)


def _skipped(item: Any) -> Skipped:
    read = _Reader(item).only(frozenset({"path", "reason", "line"}))
    line = None if read.optional("line") is None else read.integer("line")
    return Skipped(read.text("path"), read.text("reason"), line)


def _member(entry: Any) -> MemberFile:
    read = _Reader(entry).only(frozenset({"bytes", "crc32"}))
    return MemberFile(read.integer("bytes"), read.integer("crc32"))
