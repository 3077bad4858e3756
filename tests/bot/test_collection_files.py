"""A collection's files: removing a name again and again keeps every copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.collection_files import REMOVED_FOLDER, removed_files, set_aside, write_new


def test_removing_one_name_many_times_within_a_second_keeps_every_copy(tmp_path: Path) -> None:
    kept = []
    for round_ in range(20):
        write_new(tmp_path / "budget.md", f"round {round_}".encode())
        kept.append(set_aside(tmp_path, "budget.md"))
    assert len(set(kept)) == 20 and all(path.name.endswith("-budget.md") for path in kept)
    assert sorted(path.read_text() for path in kept) == sorted(f"round {n}" for n in range(20))
    assert removed_files(tmp_path) == (tmp_path / REMOVED_FOLDER, 20)
    assert not (tmp_path / "budget.md").exists()


def test_a_file_already_gone_is_said_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        set_aside(tmp_path, "gone.md")
    assert removed_files(tmp_path / "none") == (tmp_path / "none" / REMOVED_FOLDER, 0)
