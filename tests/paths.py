"""Where the test corpora live: the fixture corpus under tests/, the eval data beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CORPUS = REPO / "tests" / "fixtures" / "corpus"


def _eval_data() -> Path:
    """``shared/eval`` beside the repository or beside one of its parents (a worktree)."""
    for folder in REPO.parents:
        if (folder / "shared" / "eval").is_dir():
            return folder / "shared" / "eval"
    return REPO.parent / "shared" / "eval"


EVAL = _eval_data()


def eval_dir_or_skip() -> Path:
    """``../shared/eval``; the calling test is skipped when it is absent."""
    if not (EVAL / "squad-dev-articles.jsonl").is_file():
        pytest.skip(f"evaluation data not found at {EVAL} (../shared relative to the repo root)")
    return EVAL
