"""Finding what changed in a corpus, and reading only that."""

from __future__ import annotations

from pathlib import Path

from index.articles.corpus import CorpusRoot
from index.records import Skipped
from index.storage.incremental import changed_paths, merged_skipped, read_changes


def test_changed_paths_are_added_removed_or_modified() -> None:
    old = [["a.txt", 10, 1], ["b.txt", 20, 2], ["c.txt", 30, 3]]
    new = [["a.txt", 10, 1], ["b.txt", 21, 2], ["d.txt", 5, 4]]
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
    manifest = {"skipped": [{"path": "x", "reason": "old", "line": None}, {"path": "y"}]}
    merged = merged_skipped(manifest, {"x"}, [Skipped("x", "new", 3)])
    assert merged == [{"path": "y"}, {"path": "x", "reason": "new", "line": 3}]
