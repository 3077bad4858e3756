from __future__ import annotations

import itertools
import json
from pathlib import Path

import nltk.redos
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.articles.corpus import read_corpus
from index.articles.jsonl import parse_jsonl
from index.articles.markdown import parse_markdown
from index.articles.news import parse_news
from index.articles.sentences import (
    MAX_SENTENCE_CHARS,
    PUNKT_PIECE_CHARS,
    SentenceSplitter,
    pieces,
)
from index.records import Document, Span
from tests.conftest import FIXTURE_ARTICLE, FIXTURE_CORPUS


def splitter_for(*texts: str) -> SentenceSplitter:
    return SentenceSplitter.train(texts)


def sentence_texts(text: str) -> list[str]:
    document = parse_markdown("x.md", text)
    return [s.text for s in splitter_for(text).split(document)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Gen. Smith met Sen. Jones in the U.S. on Oct. 5. Mr. Brown and Dr. Lee agreed."
    assert sentence_texts(text) == [
        "Gen. Smith met Sen. Jones in the U.S. on Oct. 5.",
        "Mr. Brown and Dr. Lee agreed.",
    ]


def test_seed_sentences_have_exact_spans_and_positions() -> None:
    text = FIXTURE_ARTICLE.read_text(encoding="utf-8")
    document = parse_news("seed.txt", text)
    sentences = splitter_for(text).split(document)
    assert len(sentences) == 14
    assert all(text[s.start : s.end] == s.text for s in sentences)
    first = sentences[0]
    assert (first.paragraph, first.number) == (1, 1)
    assert first.text.startswith("Russia has agreed") and first.text.endswith("the Pentagon said.")
    assert [(s.paragraph, s.number) for s in sentences[:3]] == [(1, 1), (1, 2), (2, 1)]


def test_every_seed_document_splits_exactly() -> None:
    documents = [d for d in read_corpus(FIXTURE_CORPUS) if isinstance(d, Document)]
    splitter = SentenceSplitter.train(d.text for d in documents)
    for document in documents:
        for s in splitter.split(document):
            assert document.text[s.start : s.end] == s.text


def test_eval_corpus_spans_are_exact(eval_articles: Path) -> None:
    with eval_articles.open("rb") as handle:
        documents = [d for d in parse_jsonl("eval.jsonl", handle) if isinstance(d, Document)]
    assert len(documents) == 48
    splitter = SentenceSplitter.train(d.text for d in documents)
    total = 0
    for document in documents:
        sentences = splitter.split(document)
        total += len(sentences)
        assert all(document.text[s.start : s.end] == s.text for s in sentences)
    assert total > 10_000


def test_learned_parameters_survive_json() -> None:
    text = FIXTURE_ARTICLE.read_text(encoding="utf-8")
    splitter = splitter_for(text)
    restored = SentenceSplitter.from_json(json.loads(json.dumps(splitter.to_json())))
    document = parse_news("seed.txt", text)
    assert restored.split(document) == splitter.split(document)


def test_a_run_on_line_is_cut_into_quotable_pieces() -> None:
    text = "word " * 2000
    sentences = sentence_texts(text)
    assert len(sentences) > 1
    assert all(0 < len(s) <= MAX_SENTENCE_CHARS for s in sentences)


_SPLITTER = SentenceSplitter.train([FIXTURE_ARTICLE.read_text(encoding="utf-8")])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_splits_with_exact_spans_and_deterministically(text: str) -> None:
    document = parse_markdown("x.md", text)
    first = _SPLITTER.split(document)
    assert first == _SPLITTER.split(document)
    assert all(text[s.start : s.end] == s.text and s.text.strip() == s.text for s in first)


def _one_paragraph(chars: int) -> str:
    words = FIXTURE_ARTICLE.read_text(encoding="utf-8").split()
    sentences, size, at = [], 0, 0
    while size < chars:
        sentence = " ".join(words[at % len(words) : at % len(words) + 12]).rstrip(".") + ". "
        sentences.append(sentence[0].upper() + sentence[1:])
        size += len(sentence)
        at += 7
    return "".join(sentences)


def test_a_huge_paragraph_is_cut_into_pieces_punkt_handles() -> None:
    text = "x " + _one_paragraph(100_000) + ("y" * 30_000) + " tail."
    parts = list(pieces(text, Span(2, len(text))))
    assert parts[0].start == 2 and parts[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))
    assert all(0 < p.end - p.start <= PUNKT_PIECE_CHARS for p in parts)
    # Cuts fall after a sentence's end where there is one, else at the limit.
    assert all(text[p.end - 2 : p.end] == ". " for p in parts[:3])


@pytest.mark.slow
def test_a_huge_paragraph_splits_even_on_a_machine_too_slow_for_punkts_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """NLTK stops a regular expression after 5 s; a slow machine is simulated with 0.05 s.
    Before pieces, one 300,000-character paragraph raised ``TimeoutError`` here."""
    text = "Title\n\n" + _one_paragraph(300_000)
    monkeypatch.setattr(nltk.redos, "DEFAULT_TIMEOUT", 0.05)
    splitter = SentenceSplitter.train([text])
    document = parse_news("huge.txt", text)
    sentences = splitter.split(document)
    assert len(sentences) > 1_000
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert all(0 < len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
