"""Checking a corpus and its index without changing either: what ``qabot doctor`` reports.

Each check is a :class:`HealthCheck`: a name, whether it passed, and one line
saying what was found and, when something is wrong, what to do. Nothing is
built, rebuilt or deleted here; a damaged index is reported, and the next
question rebuilds it as usual.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from index.articles.corpus import Corpus, as_roots, corpus_listing, fingerprint
from index.errors import (
    IndexCorruptError,
    IndexFolderError,
    IndexMissingError,
    IndexWriteError,
    InputError,
)
from index.storage import generations
from index.storage.index_folder import MARKER, check_outside_corpus, foreign_files


@dataclass(frozen=True, slots=True)
class HealthCheck:
    """One finding: ``ok`` False means something must be fixed."""

    name: str
    ok: bool
    detail: str


def check_corpus(corpus: Corpus) -> HealthCheck:
    """The corpus folders exist, can be read and hold article files."""
    counts = []
    try:
        for root in as_roots(corpus):
            files, too_deep = corpus_listing(root.path)
            deep = f", {len(too_deep)} folder(s) too deep to read" if too_deep else ""
            counts.append(f"{root.path}: {len(files):,} article file(s){deep}")
            if not files:
                return HealthCheck("corpus", False, f"{root.path} holds no article file")
    except InputError as error:
        return HealthCheck("corpus", False, str(error))
    return HealthCheck("corpus", True, "; ".join(counts))


def check_index(corpus: Corpus, index_dir: Path) -> list[HealthCheck]:
    """The index folder may be written, and the index in it loads, is current and
    matches every checksum (reads every file)."""
    folder = _check_folder(corpus, index_dir)
    if not folder.ok or not (index_dir / generations.CURRENT).exists():
        missing = HealthCheck("index", True, "not built yet: the first question builds it")
        return [folder] if not folder.ok else [folder, missing]
    try:
        stored = generations.load(index_dir)
        generations.verify(index_dir)
    except (IndexMissingError, IndexCorruptError) as error:
        return [folder, HealthCheck("index", False, f"{error}; the next question rebuilds it")]
    manifest = stored.manifest
    found = (
        f"{len(stored.index.documents):,} documents, {len(stored.index):,} sentences, "
        f"built {manifest.updated_at or manifest.built_at}; every checksum matches"
    )
    stale = manifest.fingerprint != fingerprint(corpus)
    fresh = "the corpus changed since: the next question updates it" if stale else "current"
    return [folder, HealthCheck("index", True, found), HealthCheck("freshness", True, fresh)]


def _check_folder(corpus: Corpus, index_dir: Path) -> HealthCheck:
    try:
        check_outside_corpus(index_dir, corpus)
    except IndexFolderError as error:
        return HealthCheck("index folder", False, str(error))
    if not index_dir.exists():
        return HealthCheck("index folder", True, f"{index_dir} will be created")
    if not index_dir.is_dir():
        return HealthCheck("index folder", False, f"{index_dir} is not a folder")
    if not os.access(index_dir, os.W_OK | os.X_OK):
        denied = IndexWriteError(PermissionError(13, "permission denied"), index_dir)
        return HealthCheck("index folder", False, str(denied))
    refusal = None if (index_dir / MARKER).is_file() else foreign_files(index_dir)
    if refusal:
        return HealthCheck("index folder", False, refusal)
    return HealthCheck("index folder", True, f"{index_dir} is qabot's and writable")
