"""Opening an index: loaded as it is, or checked against its corpus and rebuilt when stale.

This is the way of every question: ``qabot ask`` opens the index and answers. A
current index is loaded (mapped from disk) without the build machinery: Punkt
(nltk), the builder and the update steps are imported only when a rebuild is due
(``index.service.rebuilding``), so answering from a fresh index never imports nltk.
Like the rest of the library API it never reads the environment: every folder and
parameter is an argument.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from index.articles.corpus import Corpus, describe, fingerprint
from index.errors import IndexMissingError, IndexUnusableError
from index.ranking import band, kernels, rerank_combine, rescoring
from index.ranking.bm25 import BM25Params
from index.service.opened_index import OpenedIndex, opened
from index.storage import generations, sentence_tokens
from index.storage.index_folder import check_outside_corpus
from index.storage.manifest import Manifest
from index.terms import spelling
from index.terms.analysis import ANALYZER_VERSION

if TYPE_CHECKING:  # the builder imports Punkt (nltk): a load must not
    from index.storage.builder import Progress

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Load everything a first question would otherwise wait for: the compiled kernels and
    the spelling word lists. Once per process; call it off the event loop."""
    kernels.warm_up()
    band.warm_up()
    rescoring.warm_up()
    rerank_combine.warm_up()  # and the gathering pass before it
    sentence_tokens.warm_up()
    spelling.warm_up()


def load_index(index_dir: Path) -> OpenedIndex:
    """The index saved in ``index_dir`` as it is, without comparing it with a corpus (for
    readers that never build: benchmarks, a second process serving the same index).

    Raises ``IndexMissingError`` or ``IndexCorruptError``.
    """
    warm_up()
    stored = generations.load(index_dir)
    return opened(stored.index, stored.manifest, stored.folder)


def open_index(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    *,
    warm: bool = True,
    splitter_from: Path | None = None,
) -> OpenedIndex:
    """The index for ``corpus``: loaded from ``index_dir`` when current, else rebuilt
    (once, however many processes find it stale at the same time).

    With ``warm`` it also runs :func:`warm_up`, so the first question does not wait; a
    command that asks one question passes ``False`` and loads only what that question needs.
    """
    if warm:
        warm_up()
    check_outside_corpus(index_dir, corpus)
    stored, reason = usable(corpus, index_dir, params, warn=True)
    if stored is None:
        from index.service.rebuilding import rebuilt  # the build machinery, only when due

        reason = reason or "no usable index"
        return rebuilt(corpus, index_dir, params, progress, reason, splitter_from=splitter_from)
    return opened(stored.index, stored.manifest, stored.folder)


def usable(
    corpus: Corpus, index_dir: Path, params: BM25Params, *, warn: bool, fingerprints: bool = True
) -> tuple[generations.StoredIndex | None, str | None]:
    """The saved index if it can serve ``corpus`` (with ``fingerprints``: unchanged
    files too), else ``None`` and why not; a damaged index is a warning when ``warn``."""
    try:
        stored = generations.load(index_dir)
    except IndexMissingError:
        return None, "no index yet"
    except IndexUnusableError as error:
        if warn:
            log.warning("%s; rebuilding it from %s", error, describe(corpus))
        return None, str(error)
    change = _configuration_change(stored.manifest, corpus, params)
    if change is None and fingerprints and stored.manifest.fingerprint != fingerprint(corpus):
        change = "the corpus changed since the last build"
    return (None, change) if change else (stored, None)


def _configuration_change(manifest: Manifest, corpus: Corpus, params: BM25Params) -> str | None:
    if manifest.analyzer != ANALYZER_VERSION:
        return "the text analyzer changed"
    if (manifest.k1, manifest.b) != (params.k1, params.b):
        return "the BM25 parameters changed"
    if manifest.corpus != describe(corpus):
        return "the corpus folder changed"
    return None
