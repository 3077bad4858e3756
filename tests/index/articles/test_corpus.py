from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.articles.corpus import (
    MAX_DEPTH,
    CorpusRoot,
    corpus_files,
    decode,
    fingerprint,
    read_corpus,
    read_roots,
)
from index.errors import CorpusError
from index.records import Document, Skipped
from tests.conftest import write

GOOD = "Title here\n\nA sentence about bridges."


def read(root: Path) -> tuple[list[Document], list[Skipped]]:
    items = list(read_corpus(root, max_file_bytes=1000))
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, Skipped)],
    )


def test_bad_files_are_skipped_by_name_and_the_rest_read(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", GOOD)
    write(tmp_path, "sub/also.md", "# Heading\n\nProse.")
    write(tmp_path, "binary.txt", b"\x00\x01\x02PNG")
    write(tmp_path, "latin1.txt", "caf\xe9".encode("latin-1"))
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "blank.txt", "   \n\n ")
    write(tmp_path, "huge.txt", "word " * 400)
    write(tmp_path, "ignored.pdf", b"%PDF")
    documents, skipped = read(tmp_path)
    assert sorted(d.info.doc_id for d in documents) == ["good.txt", "sub/also.md"]
    reasons = {s.path: s.reason for s in skipped}
    assert set(reasons) == {"binary.txt", "latin1.txt", "empty.txt", "blank.txt", "huge.txt"}
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "cap" in reasons["huge.txt"]


def test_utf8_with_byte_order_mark_is_read_without_it() -> None:
    assert decode("\ufeffHello".encode()) == "Hello"


def test_a_link_out_of_the_corpus_is_refused(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.txt", GOOD)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(outside, corpus / "link.txt")
    documents, skipped = read(corpus)
    assert documents == []
    assert "outside the corpus" in skipped[0].reason


def test_hidden_files_and_folders_are_not_read(tmp_path: Path) -> None:
    write(tmp_path, ".hidden.txt", GOOD)
    write(tmp_path, ".git/x.txt", GOOD)
    assert corpus_files(tmp_path) == []


def test_a_missing_or_non_folder_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        corpus_files(tmp_path / "nope")
    with pytest.raises(CorpusError, match="not a folder"):
        corpus_files(write(tmp_path, "file.txt", GOOD))


def test_fingerprint_changes_when_a_file_is_added_changed_or_removed(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", GOOD)
    first = fingerprint(tmp_path)
    write(tmp_path, "b.txt", GOOD)
    second = fingerprint(tmp_path)
    path.write_text(GOOD + " More.", encoding="utf-8")
    third = fingerprint(tmp_path)
    (tmp_path / "b.txt").unlink()
    assert len({repr(first), repr(second), repr(third), repr(fingerprint(tmp_path))}) == 4


def test_roots_prefix_their_document_ids(tmp_path: Path) -> None:
    write(tmp_path, "shared/a.txt", GOOD)
    write(tmp_path, "guild/a.txt", GOOD)
    roots = [CorpusRoot(tmp_path / "shared"), CorpusRoot(tmp_path / "guild", "guild-1/")]
    ids = [i.info.doc_id for i in read_roots(roots) if isinstance(i, Document)]
    assert ids == ["a.txt", "guild-1/a.txt"]
    assert [item.relpath for item in fingerprint(roots)] == ["a.txt", "guild-1/a.txt"]


def test_utf16_and_a_50_megabyte_file_are_skipped_with_reasons(tmp_path: Path) -> None:
    write(tmp_path, "utf16.txt", "Title\n\nSome text.".encode("utf-16"))
    write(tmp_path, "big.txt", b"word " * (10 * 1024 * 1024))
    write(tmp_path, "good.txt", GOOD)
    items = list(read_corpus(tmp_path))
    reasons = {i.path: i.reason for i in items if isinstance(i, Skipped)}
    assert "UTF-16" in reasons["utf16.txt"]
    assert "cap" in reasons["big.txt"]
    assert [i.info.doc_id for i in items if isinstance(i, Document)] == ["good.txt"]


def test_a_tree_a_thousand_folders_deep_is_read_to_the_depth_limit(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    for depth in range(1, 1001):
        folder = folder / "d"
        if depth in (3, MAX_DEPTH, MAX_DEPTH + 1, 1000):
            write(folder, f"at-{depth}.txt", GOOD)
    try:
        documents, skipped = read(tmp_path / "corpus")
        assert len(corpus_files(tmp_path / "corpus")) == 2
    finally:
        _remove_deep(tmp_path / "corpus")  # pytest's own clean-up recurses and would fail
    assert sorted(d.info.doc_id.rsplit("/", 1)[1] for d in documents) == [
        "at-3.txt",
        f"at-{MAX_DEPTH}.txt",
    ]
    (too_deep,) = skipped
    assert too_deep.path == "/".join(["d"] * (MAX_DEPTH + 1)) and "64 levels" in too_deep.reason


def _remove_deep(top: Path) -> None:
    """Delete a chain of nested folders bottom-up, without recursion."""
    chain = [top]
    while (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for folder in reversed(chain):
        for entry in folder.iterdir():
            if entry.is_file():
                entry.unlink()
        folder.rmdir()
