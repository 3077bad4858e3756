"""One index's data: its sentences, postings and sentence facts, immutable once built.

Building, loading and updating produce a :class:`SentenceIndex`; questions go to a
:class:`index.service.searcher.Searcher` made once per loaded index. Nothing here
answers questions, so storage and updates never build the query machinery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.ranking.bm25 import BM25Params
from index.ranking.postings import Postings
from index.records import DocumentInfo
from index.storage.sentence_table import SentenceTable
from index.storage.sentence_tokens import SentenceTokens
from index.terms.sentence_facts import SentenceFacts


@dataclass(frozen=True, slots=True)
class BuildInfo:
    """When and from what an index was built."""

    built_at: str
    build_seconds: float
    corpus: str


@dataclass(frozen=True, slots=True, eq=False)
class SentenceIndex:
    """BM25 postings over the sentences of a corpus, with what re-ranking, citing and
    highlighting need.

    Immutable: an update makes a new one, and whoever serves questions swaps it in.
    """

    table: SentenceTable
    postings: Postings
    facts: SentenceFacts
    tokens: SentenceTokens
    build: BuildInfo

    def __len__(self) -> int:
        return len(self.table)

    @property
    def params(self) -> BM25Params:
        """The BM25 parameters the weights were computed with."""
        return self.postings.params

    @property
    def documents(self) -> Sequence[DocumentInfo]:
        """Every indexed document, in corpus order."""
        return self.table.documents
