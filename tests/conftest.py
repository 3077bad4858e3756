"""Shared fixtures: a one-article corpus (a copy of the seed article kept under
``tests/fixtures``, so adding articles to ``seeds/`` changes no test), its index,
and the eval data when present."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from index.jit import compile_kernels
from index.ranking.bm25 import DEFAULT_B, DEFAULT_K1
from index.records import Document
from index.service.opened_index import OpenedIndex
from index.service.opening import open_index
from index.storage.manifest import Manifest
from tests.paths import EVAL as EVAL
from tests.web_site import NewsSite, running_site

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The tests about the seeds (golden questions, the README's quick start) read the seed
# article itself, alone, so articles added beside it change none of them.
SEED_FILE = SEEDS / "000_7ababf70601c1a86.txt"
FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "corpus"
FIXTURE_ARTICLE = FIXTURE_CORPUS / "000_7ababf70601c1a86.txt"
EVAL_ARTICLES = EVAL / "squad-dev-articles.jsonl"

# Strings that have broken text pipelines: controls, invisible and bidi marks, emoji,
# unpaired surrogates (Python allows them in str) and very long lines.
HOSTILE = [
    "\x00\x07\x1b[31mred\x1b[0m",
    "zero\u200bwidth\u200djoin\ufeff",
    "right\u202eto\u202cleft \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "emoji 🛩️🇺🇸 👍🏽 family 👨‍👩‍👧",
    "lone \ud800 surrogate \udfff",
    "x" * 100_000,
    "word " * 20_000,
]


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps its example database and caches in a temporary folder, not the clone.

    Set before collection, which already writes to it; removed when the run ends.
    """
    folder = Path(tempfile.mkdtemp(prefix="qabot-tests-hypothesis-"))
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    set_hypothesis_home_dir(folder)


@pytest.fixture(autouse=True)
def no_settings_from_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test runs in its own empty folder, without the developer's qabot settings,
    and leaves the kernels compiled.

    The settings loader reads ``./.env`` and ``QABOT_*``; relative default paths
    (``.qabot/index``) land in the current folder, which is then the test's own.
    """
    for name in [name for name in os.environ if name.startswith("QABOT_")]:
        monkeypatch.delenv(name)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    yield
    # ``qabot ask`` interprets the kernels for the rest of its process (index.jit); a test
    # that runs it in this process must not leave the others interpreting.
    compile_kernels()


@pytest.fixture(scope="session")
def article_index(tmp_path_factory: pytest.TempPathFactory) -> OpenedIndex:
    """The fixture corpus, indexed once for the whole session."""
    return open_index(FIXTURE_CORPUS, tmp_path_factory.mktemp("article-index"))


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> OpenedIndex:
    """The seed article of ``seeds/``, alone in a corpus, indexed once for the session."""
    corpus = tmp_path_factory.mktemp("seed-corpus")
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    return open_index(corpus, tmp_path_factory.mktemp("seed-index"))


@pytest.fixture
def eval_articles() -> Path:
    """The SQuAD articles JSONL from ../shared/eval, or a skip when this clone has no ../shared."""
    if not EVAL_ARTICLES.exists():
        pytest.skip(f"evaluation data not found at {EVAL_ARTICLES} (only CI has ../shared)")
    return EVAL_ARTICLES


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Create ``folder/name`` with ``content`` (text as UTF-8)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def blocked_lock_waiters(lock: Path) -> int:
    """How many processes wait for the flock on ``lock`` (from Linux's /proc/locks)."""
    inode = f":{os.stat(lock).st_ino} "
    lines = Path("/proc/locks").read_text().splitlines()
    return sum("->" in line and inode in line for line in lines)


def spans_exact(document: Document, texts: list[tuple[int, int, str]]) -> bool:
    """True when every (start, end, text) triple slices ``document.text`` exactly."""
    return all(document.text[start:end] == text for start, end, text in texts)


def sample_manifest(k1: float = DEFAULT_K1, b: float = DEFAULT_B) -> Manifest:
    """A manifest for saving a hand-built index in storage tests (scores are computed with
    the manifest's parameters: the defaults, as the index is built with)."""
    return Manifest(
        analyzer=0,
        k1=k1,
        b=b,
        corpus="corpus",
        built_at="2026-01-01T00:00:00+00:00",
        build_seconds=1.0,
        fingerprint=(),
    )


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """A news site on 127.0.0.1 (its own port) for this test only."""
    with running_site() as running:
        yield running


SEED_ARTICLE = "---\ntitle: Town hall\n---\n\nThe town hall repainted its clock tower in May.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder holding one small article (so an index is never empty)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "town.md").write_text(SEED_ARTICLE, encoding="utf-8")
    return folder
