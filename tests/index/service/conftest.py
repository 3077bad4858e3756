"""Fixtures of the service tests: small corpora to open, rebuild and update."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURE_ARTICLE, write


def write_article(folder: Path, name: str, body: str) -> Path:
    """A news-text article ``name`` in ``folder``: a title line, then ``body``."""
    path = folder / name
    path.write_text(f"Title of {name}\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Three two-sentence articles: the Pentagon, the Super Bowl, rain in Paris."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_article(folder, "a.txt", "The Pentagon said talks would resume. Officials agreed.")
    write_article(folder, "b.txt", "The Broncos won the Super Bowl. Fans cheered loudly.")
    write_article(folder, "c.txt", "Rain fell on Paris all week. The river rose.")
    return folder


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """A corpus of the one fixture article."""
    folder = tmp_path / "corpus"
    write(folder, "seed.txt", FIXTURE_ARTICLE.read_text(encoding="utf-8"))
    return folder
