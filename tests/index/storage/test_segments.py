"""A build in segments merged on disk is the index one build in memory makes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.articles.corpus import fingerprint
from index.ranking.bm25 import BM25Params
from index.service.rebuilding import rebuild
from index.storage import generations, segments
from index.storage.builder import build_index
from index.storage.codec import encode_index
from index.storage.manifest import Manifest
from index.storage.segments import build_and_publish
from tests.conftest import sample_manifest


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    lines = [
        f'{{"id": "n{i}", "title": "N{i}", "text": "Article {i} says hello. The Pentagon said '
        f'{i} things about word{i % 7}.\\n\\nMore words about topic {i % 3}, and Z{i}."}}'
        for i in range(40)
    ]
    (folder / "a.jsonl").write_text("\n".join(lines[:25]) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(lines[25:]) + "\n", encoding="utf-8")
    return folder


def test_segments_merge_into_what_one_build_makes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    params = BM25Params(0.9, 0.7)
    single = build_index(corpus, params)

    def manifest_of(sentences: int) -> Manifest:
        assert sentences == len(single.index)
        return sample_manifest(params.k1, params.b)

    built = build_and_publish(corpus, tmp_path / "index", params, manifest_of, segment_chars=700)
    assert built.segments > 3 and built.skipped == ()
    merged = generations.load(tmp_path / "index", read_below=0)
    assert merged.folder == built.folder
    want, got = encode_index(single.index), encode_index(merged.index)
    assert want.keys() == got.keys()
    for name, value in want.items():
        if isinstance(value, np.ndarray):
            assert got[name].dtype == value.dtype and np.array_equal(got[name], value), name
        else:
            assert bytes(got[name]) == bytes(value), name
    assert built.splitter.to_json() == single.splitter.to_json()
    assert not list((tmp_path / "index").glob("tmp*"))  # the segments are gone
    assert fingerprint(corpus)  # the corpus itself is untouched


def test_a_corpus_too_large_for_memory_is_rebuilt_in_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``rebuild`` takes the segmented path past ``SEGMENT_CHARS`` (lowered here to 1,000
    characters) and answers like the one-piece build."""
    corpus = _corpus(tmp_path / "corpus")
    whole = rebuild(corpus, tmp_path / "whole")
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 1_000)
    parts = rebuild(corpus, tmp_path / "parts")
    assert parts.stats.sentences == whole.stats.sentences == 80
    question = "What did the Pentagon say about word3?"
    assert parts.searcher.search(question, 5) == whole.searcher.search(question, 5)
    assert len(list((tmp_path / "parts").glob("gen-*"))) == 1
