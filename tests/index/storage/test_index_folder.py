"""The index folder: qabot writes only in folders that are its own, deletes only what it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.articles.corpus import CorpusRoot
from index.errors import IndexFolderError, IndexWriteError
from index.storage import index_folder
from index.storage.index_folder import (
    CURRENT,
    MARKER,
    check_outside_corpus,
    claim,
    new_generation_name,
    remove_stale,
)
from tests.conftest import write


def test_a_new_or_empty_folder_is_claimed_and_marked(tmp_path: Path) -> None:
    claim(tmp_path / "new" / "idx")
    assert (tmp_path / "new" / "idx" / MARKER).is_file()
    (tmp_path / "empty").mkdir()
    claim(tmp_path / "empty")
    assert (tmp_path / "empty" / MARKER).is_file()


def test_a_folder_with_the_users_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    draft = write(home / "gen-ideas", "draft.txt", "my ideas")
    write(home, "notes.md", "notes")
    with pytest.raises(IndexFolderError) as caught:
        claim(home)
    message = str(caught.value)
    assert str(home) in message and "--index" in message and "QABOT_INDEX" in message
    assert "gen-ideas" in message
    assert sorted(p.name for p in home.iterdir()) == ["gen-ideas", "notes.md"]
    assert draft.read_text() == "my ideas"


def test_an_index_made_before_the_marker_is_adopted(tmp_path: Path) -> None:
    name = new_generation_name()
    (tmp_path / name).mkdir()
    (tmp_path / CURRENT).write_text(name)
    (tmp_path / ".lock").touch()
    claim(tmp_path)
    assert (tmp_path / MARKER).is_file()


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "idx", "a file")
    with pytest.raises(IndexFolderError, match="is a file"):
        claim(tmp_path / "idx")
    with pytest.raises(IndexWriteError):
        claim(tmp_path / "idx" / "below")


def test_remove_stale_deletes_only_generations_qabot_named(tmp_path: Path) -> None:
    claim(tmp_path)
    live, old = new_generation_name(), new_generation_name()
    for name in (live, old, f".tmp-{old}"):
        (tmp_path / name).mkdir()
    (tmp_path / CURRENT).write_text(live)
    ideas = write(tmp_path / "gen-ideas", "draft.txt", "keep me")
    remove_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == sorted(["gen-ideas", live])
    assert ideas.read_text() == "keep me"


def test_remove_stale_does_nothing_without_the_marker(tmp_path: Path) -> None:
    stale = tmp_path / new_generation_name()
    stale.mkdir()
    remove_stale(tmp_path)
    assert stale.is_dir()


@pytest.mark.parametrize("inside", ["", "idx", "a/idx"])
def test_an_index_in_the_corpus_is_refused(tmp_path: Path, inside: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(IndexFolderError, match=r"(is|is inside) the corpus folder"):
        check_outside_corpus(corpus / inside, corpus)
    with pytest.raises(IndexFolderError, match=r"(is|is inside) the corpus folder"):
        check_outside_corpus(corpus / inside, [CorpusRoot(tmp_path / "x"), CorpusRoot(corpus)])


def test_an_index_beside_the_corpus_or_in_a_hidden_folder_of_it_is_fine(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    check_outside_corpus(tmp_path / "idx", corpus)
    check_outside_corpus(corpus / ".qabot" / "index", corpus)  # the corpus walk skips it
    check_outside_corpus(tmp_path / "corpus-index", corpus)


def test_generation_names_never_collide() -> None:
    names = {new_generation_name() for _ in range(1000)}
    assert len(names) == 1000
    assert all(index_folder.is_generation_name(name) for name in names)
    assert not index_folder.is_generation_name("gen-ideas")
