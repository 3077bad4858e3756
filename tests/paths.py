"""Where the test corpora live: the fixture corpus under tests/, the eval data beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CORPUS = REPO / "tests" / "fixtures" / "corpus"


def shared(name: str) -> Path:
    """``shared/<name>`` beside the repository or beside one of its parents (a worktree)."""
    for folder in REPO.parents:
        if (folder / "shared" / name).is_dir():
            return folder / "shared" / name
    return REPO.parent / "shared" / name


EVAL = shared("eval")


def eval_dir_or_skip() -> Path:
    """``../shared/eval``; the calling test is skipped when it is absent."""
    if not (EVAL / "squad-dev-articles.jsonl").is_file():
        pytest.skip(f"evaluation data not found at {EVAL} (../shared relative to the repo root)")
    return EVAL
