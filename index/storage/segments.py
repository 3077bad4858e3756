"""Building an index larger than memory: segments written to disk, then merged file by file.

A corpus is read as a stream. Each run of documents holding about
``SEGMENT_CHARS`` characters is split, analysed and turned into a segment (a
complete small index, built as ``index.storage.builder`` builds one) and saved
to a scratch folder; only then is the next run read. The merge writes the
final generation file by file through memory maps: sentence arrays are copied
one segment after another, every segment's terms are renumbered into one
vocabulary (in order of first appearance, as one build numbers them), each term's
postings are placed segment after segment (so each row stays in sentence order),
and the weights are computed once for the whole corpus's average length. The
result is array for array the index a single build would make
(``tests/index/storage/test_segments.py``); memory holds one segment and the
per-term and per-document tables, never the corpus.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from index.articles.corpus import Corpus, CorpusFile, describe
from index.articles.sentences import DEFAULT_TRAINING_CHARS, SentenceSplitter
from index.errors import EmptyIndexError
from index.ranking.bm25 import BM25Params
from index.records import Document, Skipped
from index.storage import generation_writer, generations, index_folder
from index.storage.batches import batches_of
from index.storage.builder import Progress, documents_of, index_documents
from index.storage.codec import encode_index
from index.storage.manifest import Manifest
from index.storage.segment_merge import Merged, Segment
from index.storage.workers import Workers
from index.terms.analysis import ANALYZER_VERSION

log = logging.getLogger(__name__)

SEGMENT_CHARS = 200_000_000
"""About a million sentences of news: one segment takes one to two GiB to build."""


@dataclass(frozen=True, slots=True)
class SegmentedBuild:
    """What a segmented build saved: its folder, splitter, skipped files and figures."""

    folder: Path
    splitter: SentenceSplitter
    skipped: tuple[Skipped, ...]
    segments: int


def rebuild_in_segments(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params,
    prints: tuple[CorpusFile, ...],
    splitter: SentenceSplitter | None = None,
) -> generations.StoredIndex:
    """Build ``corpus`` (whose files are ``prints``) in segments of ``SEGMENT_CHARS`` into a
    new generation of ``index_dir``, make it current, delete the old ones and load it.
    The caller holds the build lock."""
    started = time.perf_counter()
    skipped: list[Skipped] = []

    def manifest_of(sentences: int) -> Manifest:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        seconds = time.perf_counter() - started
        return Manifest(
            ANALYZER_VERSION, params.k1, params.b, describe(corpus), now, seconds, prints,
            tuple(skipped),
        )  # fmt: skip

    built = build_and_publish(
        corpus, index_dir, params, manifest_of, splitter,
        segment_chars=SEGMENT_CHARS, skipped=skipped,
    )  # fmt: skip
    generations.remove_stale(index_dir)
    for item in built.skipped:
        log.warning("skipped %s", item)
    return generations.load(index_dir)


def build_and_publish(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params,
    manifest_of: Callable[[int], Manifest],
    splitter: SentenceSplitter | None = None,
    progress: Progress | None = None,
    segment_chars: int = SEGMENT_CHARS,
    training_chars: int = DEFAULT_TRAINING_CHARS,
    skipped: list[Skipped] | None = None,
) -> SegmentedBuild:
    """Build ``corpus`` segment by segment into a new generation of ``index_dir`` and make
    it current. ``manifest_of(sentences)`` gives the manifest to save (without files),
    once every document was read; what was skipped is added to ``skipped`` as it is."""
    skipped = [] if skipped is None else skipped
    with Workers() as pool, _scratch(index_dir) as scratch:
        runs = batches_of(documents_of(corpus, skipped), segment_chars)
        # Punkt trains on the corpus's first ``training_chars``, as one build's would.
        head = _head(runs, training_chars if splitter is None else 0)
        if splitter is None:
            splitter = _trained([d for run in head for d in run], training_chars, pool)
        folders, done = [], 0
        for number, run in enumerate(itertools.chain(head, runs)):
            segment = index_documents(run, splitter, params, pool=pool)
            folders.append(_save_segment(segment_members(segment), scratch / f"seg-{number}"))
            done += len(run)
            if progress is not None:
                progress(done, done)
        if not folders:
            raise EmptyIndexError(f"no readable documents in {describe(corpus)}")
        merged = Merged([Segment(folder) for folder in folders], params)
        attachments = {"punkt.json": json.dumps(splitter.to_json()).encode()}
        manifest = manifest_of(merged.sentences)
        folder = generation_writer.publish(
            index_dir, manifest, lambda staging: merged.write(staging, attachments)
        )
    return SegmentedBuild(folder, splitter, tuple(skipped), len(folders))


@contextlib.contextmanager
def _scratch(index_dir: Path) -> Iterator[Path]:
    """A scratch folder for the segments inside ``index_dir``, named as a staging folder
    so that a crash leaves nothing the next build does not clear away."""
    index_folder.claim(index_dir)
    folder = index_dir / f".tmp-{index_folder.new_generation_name()}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _head(runs: Iterator[list[Document]], chars: int) -> list[list[Document]]:
    """The first runs, until they hold ``chars`` characters (or there are no more)."""
    head: list[list[Document]] = []
    size = 0
    while not head or size < chars:
        run = next(runs, None)
        if run is None:
            break
        head.append(run)
        size += sum(len(document.text) for document in run)
    return head


def _trained(documents: Sequence[Document], chars: int, pool: Workers) -> SentenceSplitter:
    texts = ["\n\n".join(d.text[p.start : p.end] for p in d.paragraphs) for d in documents]
    if sum(map(len, texts)) < chars:
        return SentenceSplitter.train(texts, chars)
    return pool.submit(SentenceSplitter.train, texts, chars).result()


def segment_members(index: Any) -> dict[str, Any]:
    """The members of a segment: the index's, less what the merge computes again."""
    members = encode_index(index)
    for name in ("weights.npy", "row_max.npy"):
        members.pop(name)
    return members


def _save_segment(members: dict[str, Any], folder: Path) -> Path:
    folder.mkdir()
    for name, value in members.items():
        if isinstance(value, np.ndarray):
            np.save(folder / name, value, allow_pickle=False)
        else:
            (folder / name).write_bytes(value)
    return folder
