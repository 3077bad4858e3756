"""Finding what changed in a corpus, and reading only that."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from index.articles.corpus import CorpusFile, CorpusRoot
from index.records import Skipped
from index.storage.incremental import changed_paths, merged_skipped, read_changes
from tests.conftest import sample_manifest


def test_changed_paths_are_added_removed_or_modified() -> None:
    a, b, c, d = (CorpusFile(f"{n}.txt", 10, 1) for n in "abcd")
    old = [a, b, c]
    new = [a, replace(b, size=21), d]
    assert changed_paths(old, new) == {"b.txt", "c.txt", "d.txt"}
    assert changed_paths(old, old) == frozenset()


def test_read_changes_reads_existing_files_under_their_prefix(tmp_path: Path) -> None:
    (tmp_path / "new.txt").write_text("Title\n\nSome text here.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    roots = [CorpusRoot(tmp_path, prefix="g/")]
    changes = read_changes(roots, frozenset({"g/new.txt", "g/empty.txt", "g/gone.txt"}))
    assert [d.info.doc_id for d in changes.added] == ["g/new.txt"]
    assert changes.added[0].info.path == "g/new.txt"
    assert [s.path for s in changes.skipped] == ["g/empty.txt"]
    assert changes.dropped_paths == {"g/new.txt", "g/empty.txt", "g/gone.txt"}


def test_merged_skipped_replaces_entries_of_changed_paths() -> None:
    manifest = replace(sample_manifest(), skipped=(Skipped("x", "old"), Skipped("y", "bad")))
    merged = merged_skipped(manifest, {"x"}, [Skipped("x", "new", 3)])
    assert merged == (Skipped("y", "bad"), Skipped("x", "new", 3))
