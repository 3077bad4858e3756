"""SearchThread: answers come back through asyncio, the same as a direct search."""

from __future__ import annotations

import asyncio
import threading

from index.records import Answer
from index.service.search_thread import SearchThread
from index.service.searcher import Searcher
from index.storage.builder import build_index
from tests.paths import FIXTURE_CORPUS


class RecordingIndex:
    """A fake index that answers with the name of the thread that asked it."""

    def __init__(self) -> None:
        self.threads: set[str] = set()

    def search(
        self, question: str, k: int = 5, *, doc_id: str | None = None, offset: int = 0
    ) -> Answer:
        self.threads.add(threading.current_thread().name)
        return Answer(question=question, terms=(str(k), doc_id or "", str(offset)), hits=())


def test_searches_run_on_one_thread_off_the_loop() -> None:
    fake, runner = RecordingIndex(), SearchThread()

    async def ask_all() -> list[Answer]:
        return list(await asyncio.gather(*(runner.search(fake, f"q{i}", 3) for i in range(20))))

    try:
        answers = asyncio.run(ask_all())
    finally:
        runner.close()
    assert [a.question for a in answers] == [f"q{i}" for i in range(20)]
    assert len(fake.threads) == 1
    assert next(iter(fake.threads)).startswith("qabot-search")


def test_answers_match_direct_searches() -> None:
    index = Searcher(build_index(FIXTURE_CORPUS).index)
    runner = SearchThread()
    questions = ["what did the Pentagon say?", "Russia talks", "Syria air safety"]

    async def ask_all() -> list[Answer]:
        return list(await asyncio.gather(*(runner.search(index, q, 3) for q in questions)))

    try:
        answers = asyncio.run(ask_all())
    finally:
        runner.close()
    assert answers == [index.search(q, 3) for q in questions]


def test_doc_and_offset_are_passed_through() -> None:
    index = Searcher(build_index(FIXTURE_CORPUS).index)
    runner = SearchThread()
    doc_id = index.documents[0].doc_id
    try:
        answer = asyncio.run(runner.search(index, "Pentagon talks", 2, doc_id=doc_id, offset=1))
    finally:
        runner.close()
    assert answer == index.search("Pentagon talks", 2, doc_id=doc_id, offset=1)
