"""Fixtures of the storage tests: one index built once per module, and what it answers."""

from __future__ import annotations

import pytest

from index.service.searcher import Searcher
from index.storage.builder import build_index
from index.storage.sentence_index import SentenceIndex
from tests.conftest import FIXTURE_CORPUS


@pytest.fixture(scope="module")
def built() -> SentenceIndex:
    """The fixture corpus's index, built in memory."""
    return build_index(FIXTURE_CORPUS).index


def answers(index: SentenceIndex) -> list[str]:
    """The sentences ``index`` answers the Pentagon question with."""
    answer = Searcher(index).search("What did the Pentagon say?")
    return [h.sentence.text for h in answer.hits]
