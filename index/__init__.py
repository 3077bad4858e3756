"""qabot's core: articles in, cited answer sentences out. The public API is this module.

Adapters (the Discord bot, the benchmarks) import from here and nowhere deeper::

    from index import open_index, QabotError
    opened = open_index(Path("seeds"), Path(".qabot/index"))
    answer = opened.searcher.search("What did the Pentagon say?", k=3)

Inside, the package is layered, each layer importing only the ones before it
(``tests/test_layers.py`` holds the table and enforces it):

=================  ============================================================
``records``,       the records that cross boundaries and the one error
``errors``,        hierarchy; the kernel marker (loops numba compiles, or
``jit``,           that run interpreted for a single question); an article's
``article_``       relevance from its candidates' scores, which the lexical
``relevance``      and the semantic re-rankers both weigh
``terms``          text into index terms: analysis, word lists, synonyms,
                   answer types, sentence facts, spelling
``articles``       reading articles: corpus folders, news text, Markdown, JSONL,
                   saved web pages, paragraphs, dates, sentences
``web``            articles from the web: the address guard, the safe fetcher,
                   feeds, the feed list, articles kept as Markdown
``ranking``        BM25 and its compiled kernels, engines, re-ranking,
                   selection, confidence
``storage``        the index's data (tables, postings), its files on disk,
                   building and updating it
``service``        the searcher, opening/rebuilding/refreshing an index,
                   searching from an event loop, evaluation, adding by link
                   and polling feeds
``cli``            the ``qabot`` command line
=================  ============================================================

Names are loaded on first use (PEP 562), so ``import index`` is cheap: the command
line's ``--help`` never pays for numba or nltk.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from index.errors import (
    CorpusError,
    EmptyIndexError,
    EvaluationDataError,
    FeedListError,
    FetchError,
    FetchReason,
    IndexCorruptError,
    IndexFolderError,
    IndexMissingError,
    IndexUnusableError,
    IndexWriteError,
    InputError,
    QabotError,
    QuestionError,
    SemanticUnavailableError,
    SettingsError,
    UnknownDocumentError,
)
from index.jit import compile_kernels, interpret_kernels, kernels_interpreted
from index.records import (
    Answer,
    Correction,
    Document,
    DocumentInfo,
    Hit,
    IndexStats,
    Sentence,
    Skipped,
    Span,
)

if TYPE_CHECKING:
    from index.articles.corpus import JSONL_SUFFIXES, Corpus, CorpusRoot, corpus_files
    from index.articles.corpus import SUFFIXES as ARTICLE_SUFFIXES
    from index.articles.corpus import decode as decode_article
    from index.articles.dates import display_date
    from index.ranking.bm25 import BM25Params
    from index.ranking.confidence import DEFAULT_MIN_CONFIDENCE
    from index.ranking.engines import ENGINES
    from index.ranking.reference_engine import LuceneBM25
    from index.ranking.rerank import DEFAULT_RERANK, RankingFeatures, RerankConfig
    from index.semantic.embedder import Embedder, HashingEmbedder
    from index.semantic.loading import load_embedder
    from index.semantic.mixing import DEFAULT_SEMANTIC, SemanticConfig, SemanticRanker
    from index.semantic.onnx_embedder import RuntimeOptions
    from index.semantic.vectors import SentenceVectors
    from index.service.embedding import EmbeddingProgress, SemanticIndexes, SentenceEmbedding
    from index.service.evaluation import (
        GoldQuestion,
        Metrics,
        build_eval_index,
        correct_sentences,
        evaluate,
        metrics,
        read_articles,
        read_questions,
        read_split,
    )
    from index.service.feed_list import follow_feed, followed_feeds, follows_feeds, unfollow_feed
    from index.service.feed_poll import finish_poll, gather_poll, poll_feeds
    from index.service.follower import IndexFollower
    from index.service.health import HealthCheck, check_corpus, check_index
    from index.service.ingest import (
        AddedArticle,
        IngestReport,
        RefusedLink,
        Update,
        WebAccess,
        add_urls,
        commit,
        gather_urls,
    )
    from index.service.opened_index import IndexNotSavedError, OpenedIndex, Ready
    from index.service.opening import load_index, open_index, warm_up
    from index.service.rebuild_process import rebuild_in_child
    from index.service.rebuilding import rebuild
    from index.service.search_thread import SearchThread
    from index.service.searcher import MAX_K, MAX_QUESTION_CHARS, Searcher
    from index.service.servers import combined
    from index.service.updating import add_documents, refresh, remove_documents
    from index.storage.generations import verify as verify_index
    from index.storage.sentence_index import SentenceIndex
    from index.terms.analysis import Analyzer
    from index.web.limits import Limits as WebLimits
    from index.web.registry import FeedRecord

# Public name -> (module, name there), for the names loaded on first use.
_LAZY = {
    "ARTICLE_SUFFIXES": ("index.articles.corpus", "SUFFIXES"),
    "DEFAULT_MIN_CONFIDENCE": ("index.ranking.confidence", "DEFAULT_MIN_CONFIDENCE"),
    "DEFAULT_RERANK": ("index.ranking.rerank", "DEFAULT_RERANK"),
    "DEFAULT_SEMANTIC": ("index.semantic.mixing", "DEFAULT_SEMANTIC"),
    "ENGINES": ("index.ranking.engines", "ENGINES"),
    "JSONL_SUFFIXES": ("index.articles.corpus", "JSONL_SUFFIXES"),
    "MAX_K": ("index.service.searcher", "MAX_K"),
    "MAX_QUESTION_CHARS": ("index.service.searcher", "MAX_QUESTION_CHARS"),
    "AddedArticle": ("index.service.ingest", "AddedArticle"),
    "Analyzer": ("index.terms.analysis", "Analyzer"),
    "BM25Params": ("index.ranking.bm25", "BM25Params"),
    "Corpus": ("index.articles.corpus", "Corpus"),
    "CorpusRoot": ("index.articles.corpus", "CorpusRoot"),
    "FeedRecord": ("index.web.registry", "FeedRecord"),
    "Embedder": ("index.semantic.embedder", "Embedder"),
    "GoldQuestion": ("index.service.evaluation", "GoldQuestion"),
    "HashingEmbedder": ("index.semantic.embedder", "HashingEmbedder"),
    "HealthCheck": ("index.service.health", "HealthCheck"),
    "IndexFollower": ("index.service.follower", "IndexFollower"),
    "IndexNotSavedError": ("index.service.opened_index", "IndexNotSavedError"),
    "IngestReport": ("index.service.ingest", "IngestReport"),
    "LuceneBM25": ("index.ranking.reference_engine", "LuceneBM25"),
    "Metrics": ("index.service.evaluation", "Metrics"),
    "OpenedIndex": ("index.service.opened_index", "OpenedIndex"),
    "Ready": ("index.service.opened_index", "Ready"),
    "RefusedLink": ("index.service.ingest", "RefusedLink"),
    "RankingFeatures": ("index.ranking.rerank", "RankingFeatures"),
    "RerankConfig": ("index.ranking.rerank", "RerankConfig"),
    "RuntimeOptions": ("index.semantic.onnx_embedder", "RuntimeOptions"),
    "SearchThread": ("index.service.search_thread", "SearchThread"),
    "Searcher": ("index.service.searcher", "Searcher"),
    "SemanticIndexes": ("index.service.embedding", "SemanticIndexes"),
    "SentenceEmbedding": ("index.service.embedding", "SentenceEmbedding"),
    "EmbeddingProgress": ("index.service.embedding", "EmbeddingProgress"),
    "SemanticConfig": ("index.semantic.mixing", "SemanticConfig"),
    "SemanticRanker": ("index.semantic.mixing", "SemanticRanker"),
    "SentenceVectors": ("index.semantic.vectors", "SentenceVectors"),
    "SentenceIndex": ("index.storage.sentence_index", "SentenceIndex"),
    "Update": ("index.service.ingest", "Update"),
    "WebAccess": ("index.service.ingest", "WebAccess"),
    "WebLimits": ("index.web.limits", "Limits"),
    "add_documents": ("index.service.updating", "add_documents"),
    "add_urls": ("index.service.ingest", "add_urls"),
    "build_eval_index": ("index.service.evaluation", "build_eval_index"),
    "check_corpus": ("index.service.health", "check_corpus"),
    "check_index": ("index.service.health", "check_index"),
    "correct_sentences": ("index.service.evaluation", "correct_sentences"),
    "combined": ("index.service.servers", "combined"),
    "commit": ("index.service.ingest", "commit"),
    "corpus_files": ("index.articles.corpus", "corpus_files"),
    "decode_article": ("index.articles.corpus", "decode"),
    "display_date": ("index.articles.dates", "display_date"),
    "evaluate": ("index.service.evaluation", "evaluate"),
    "finish_poll": ("index.service.feed_poll", "finish_poll"),
    "follow_feed": ("index.service.feed_list", "follow_feed"),
    "followed_feeds": ("index.service.feed_list", "followed_feeds"),
    "follows_feeds": ("index.service.feed_list", "follows_feeds"),
    "gather_poll": ("index.service.feed_poll", "gather_poll"),
    "gather_urls": ("index.service.ingest", "gather_urls"),
    "load_embedder": ("index.semantic.loading", "load_embedder"),
    "load_index": ("index.service.opening", "load_index"),
    "metrics": ("index.service.evaluation", "metrics"),
    "open_index": ("index.service.opening", "open_index"),
    "poll_feeds": ("index.service.feed_poll", "poll_feeds"),
    "read_articles": ("index.service.evaluation", "read_articles"),
    "read_questions": ("index.service.evaluation", "read_questions"),
    "read_split": ("index.service.evaluation", "read_split"),
    "rebuild": ("index.service.rebuilding", "rebuild"),
    "rebuild_in_child": ("index.service.rebuild_process", "rebuild_in_child"),
    "refresh": ("index.service.updating", "refresh"),
    "remove_documents": ("index.service.updating", "remove_documents"),
    "unfollow_feed": ("index.service.feed_list", "unfollow_feed"),
    "verify_index": ("index.storage.generations", "verify"),
    "warm_up": ("index.service.opening", "warm_up"),
}

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_RERANK",
    "DEFAULT_SEMANTIC",
    "ENGINES",
    "JSONL_SUFFIXES",
    "MAX_K",
    "MAX_QUESTION_CHARS",
    "AddedArticle",
    "Analyzer",
    "Answer",
    "BM25Params",
    "Corpus",
    "CorpusError",
    "CorpusRoot",
    "Correction",
    "Document",
    "DocumentInfo",
    "Embedder",
    "EmbeddingProgress",
    "EmptyIndexError",
    "EvaluationDataError",
    "FeedListError",
    "FeedRecord",
    "FetchError",
    "FetchReason",
    "GoldQuestion",
    "HashingEmbedder",
    "HealthCheck",
    "Hit",
    "IndexCorruptError",
    "IndexFolderError",
    "IndexFollower",
    "IndexMissingError",
    "IndexNotSavedError",
    "IndexStats",
    "IndexUnusableError",
    "IndexWriteError",
    "IngestReport",
    "InputError",
    "LuceneBM25",
    "Metrics",
    "OpenedIndex",
    "QabotError",
    "QuestionError",
    "RankingFeatures",
    "Ready",
    "RefusedLink",
    "RerankConfig",
    "RuntimeOptions",
    "SearchThread",
    "Searcher",
    "SemanticConfig",
    "SemanticIndexes",
    "SemanticRanker",
    "SemanticUnavailableError",
    "Sentence",
    "SentenceEmbedding",
    "SentenceIndex",
    "SentenceVectors",
    "SettingsError",
    "Skipped",
    "Span",
    "UnknownDocumentError",
    "Update",
    "WebAccess",
    "WebLimits",
    "add_documents",
    "add_urls",
    "build_eval_index",
    "check_corpus",
    "check_index",
    "combined",
    "commit",
    "compile_kernels",
    "corpus_files",
    "correct_sentences",
    "decode_article",
    "display_date",
    "evaluate",
    "finish_poll",
    "follow_feed",
    "followed_feeds",
    "follows_feeds",
    "gather_poll",
    "gather_urls",
    "interpret_kernels",
    "kernels_interpreted",
    "load_embedder",
    "load_index",
    "metrics",
    "open_index",
    "poll_feeds",
    "read_articles",
    "read_questions",
    "read_split",
    "rebuild",
    "rebuild_in_child",
    "refresh",
    "remove_documents",
    "unfollow_feed",
    "verify_index",
    "warm_up",
]


def __getattr__(name: str) -> object:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'index' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
