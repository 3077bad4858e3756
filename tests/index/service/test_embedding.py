"""The background embedder: fills what is missing, saves chunks, resumes, reuses rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from index.ranking.bm25 import BM25Params
from index.semantic.embedder import HashingEmbedder, Vectors
from index.semantic.mixing import SemanticConfig
from index.service.embedding import SentenceEmbedding
from index.storage.builder import build_index
from index.storage.sentence_index import SentenceIndex
from index.storage.updates import without_documents
from tests.conftest import write


@dataclass
class CountingEmbedder:
    """The hashing embedder, counting the texts it embeds; it dies after ``fail_after``
    calls, as a killed build would."""

    inner: HashingEmbedder = field(default_factory=lambda: HashingEmbedder(16))
    texts: list[str] = field(default_factory=list)
    fail_after: int | None = None

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        if self.fail_after is not None and len(self.texts) >= self.fail_after:
            raise KeyboardInterrupt
        self.texts.extend(texts)
        return self.inner.embed(texts)


WORDS = (
    "river",
    "bridge",
    "town",
    "boat",
    "harbour",
    "mayor",
    "storm",
    "flood",
    "market",
    "school",
    "church",
    "road",
)
SENTENCES = [
    f"The {WORDS[n % 12]} was seen by {WORDS[n * 5 % 12]} people {n}-fold." for n in range(23)
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SentenceIndex:
    folder = tmp_path_factory.mktemp("corpus")
    write(folder, "a.txt", "First\n\n" + " ".join(SENTENCES[:15]))
    write(folder, "b.txt", "Second\n\n" + " ".join(SENTENCES[15:]))
    built = build_index(folder, BM25Params()).index
    assert len(built) >= len(SENTENCES)
    return built


def _expected(index: SentenceIndex) -> Vectors:
    return HashingEmbedder(16).embed([index.table.text(i) for i in range(len(index))])


def test_fill_embeds_every_sentence_in_chunks_and_reports_progress(
    index: SentenceIndex, tmp_path: Path
) -> None:
    embedder = CountingEmbedder()
    embedding = SentenceEmbedding(index, tmp_path, embedder, SemanticConfig(), chunk=5)
    seen: list[tuple[int, int]] = []
    embedding.fill(lambda ready, total: seen.append((ready, total)))
    total = len(index)
    assert seen[0] == (0, total) and seen[-1] == (total, total) and len(seen) == 1 + -(-total // 5)
    vectors = embedding.ranker.vectors
    cosines, known = vectors.cosines(_expected(index)[4], np.arange(total, dtype=np.int64))
    assert known.all() and cosines[4] == pytest.approx(1.0, abs=0.01)
    assert embedding.progress.complete and "complete" in embedding.progress.describe()


def test_a_killed_fill_resumes_from_its_saved_chunks(index: SentenceIndex, tmp_path: Path) -> None:
    killed = CountingEmbedder(fail_after=10)
    with pytest.raises(KeyboardInterrupt):
        SentenceEmbedding(index, tmp_path, killed, chunk=5).fill()
    assert len(killed.texts) == 10
    again = CountingEmbedder()
    embedding = SentenceEmbedding(index, tmp_path, again, chunk=5)
    embedding.fill()
    assert sorted(again.texts + killed.texts) == sorted(
        index.table.text(i) for i in range(len(index))
    )
    assert embedding.progress.ready == len(index)
    opened_again = CountingEmbedder()
    SentenceEmbedding(index, tmp_path, opened_again).fill()
    assert opened_again.texts == []  # the complete set is mapped, nothing re-embedded


def test_an_updated_index_embeds_only_its_new_sentences(
    index: SentenceIndex, tmp_path: Path
) -> None:
    smaller = without_documents(index, ["b.txt"])
    SentenceEmbedding(smaller, tmp_path, CountingEmbedder()).fill()
    grown = CountingEmbedder()
    SentenceEmbedding(index, tmp_path, grown).fill()
    assert sorted(grown.texts) == sorted(
        index.table.text(i) for i in range(len(smaller), len(index))
    )


def test_questions_use_whatever_is_ready_while_the_worker_runs(
    index: SentenceIndex, tmp_path: Path
) -> None:
    embedding = SentenceEmbedding(index, None, CountingEmbedder(), SemanticConfig(weight=2.0))
    assert embedding.progress.ready == 0 and not embedding.progress.running
    ranker = embedding.ranker
    assert not ranker.scores(SENTENCES[3], np.arange(len(index), dtype=np.int64)).any()
    embedding.start()
    embedding.stop(timeout=60)  # stops after the chunk in hand, or when done
    embedding.start()  # a second start is a no-op
    assert embedding.progress.ready in range(len(index) + 1)


def test_a_failing_model_is_reported_not_raised_on_the_worker(
    index: SentenceIndex, tmp_path: Path
) -> None:
    class Broken(CountingEmbedder):
        def embed(self, texts: Sequence[str]) -> Vectors:
            raise RuntimeError("model file damaged")

    embedding = SentenceEmbedding(index, tmp_path, Broken())
    embedding.start()
    embedding.join(timeout=60)
    assert embedding.progress.error == "RuntimeError: model file damaged"
    assert "stopped: RuntimeError" in embedding.progress.describe()


def test_a_server_index_reuses_the_shared_indexs_rows(index: SentenceIndex, tmp_path: Path) -> None:
    shared = without_documents(index, ["b.txt"])
    SentenceEmbedding(shared, tmp_path / "shared", CountingEmbedder()).fill()
    server = CountingEmbedder()
    also = (tmp_path / "shared",)
    SentenceEmbedding(index, tmp_path / "server", server, also=also).fill()
    assert sorted(server.texts) == sorted(
        index.table.text(i) for i in range(len(shared), len(index))
    )
    assert [p.name[:5] for p in (tmp_path / "shared" / "vectors").glob("*/*")] == ["full-"]


def test_the_model_sees_each_sentence_in_its_articles_context(tmp_path: Path) -> None:
    write(tmp_path / "corpus", "a.txt", "Lennon\n\nJohn Lennon sang. He was shot in 1980.")
    index = build_index(tmp_path / "corpus", BM25Params()).index
    embedder = CountingEmbedder()
    SentenceEmbedding(index, tmp_path / "store", embedder).fill()
    assert sorted(embedder.texts) == [
        "Lennon: John Lennon sang.",
        "Lennon: John Lennon sang. He was shot in 1980.",
    ]
    write(tmp_path / "corpus", "a.txt", "Yoko Ono\n\nJohn Lennon sang. He was shot in 1980.")
    retitled = build_index(tmp_path / "corpus", BM25Params()).index
    again = CountingEmbedder()
    SentenceEmbedding(retitled, tmp_path / "store", again).fill()
    assert len(again.texts) == 2 and not any("Lennon:" in text for text in again.texts)
