"""Sentence splitting with NLTK's Punkt, trained on the corpus itself.

Punkt (Kiss & Strunk 2006) learns abbreviations, collocations and sentence
starters from raw text without supervision, so qabot needs no downloaded
``punkt`` model: it trains on (a bounded sample of) the corpus and adds the
abbreviations in ``data/abbreviations.txt``. The learned parameters are stored
with the index as JSON, so a loaded index splits new text the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

from index.articles.paragraphs import trim
from index.records import Document, Sentence, Span
from index.terms.wordlists import abbreviations

DEFAULT_TRAINING_CHARS = 4_000_000
# A "sentence" longer than this (a table, a line with no punctuation) is cut at
# white space, so a hit stays quotable and one run-on line cannot dominate BM25.
MAX_SENTENCE_CHARS = 1_500


class SentenceSplitter:
    """Splits document paragraphs into sentences with exact spans."""

    def __init__(self, params: PunktParameters) -> None:
        params.abbrev_types.update(abbreviations())
        self._params = params
        self._tokenizer = PunktSentenceTokenizer(params)

    @classmethod
    def train(
        cls, texts: Iterable[str], max_chars: int = DEFAULT_TRAINING_CHARS
    ) -> SentenceSplitter:
        """Learn Punkt parameters from up to ``max_chars`` characters of ``texts``."""
        trainer = PunktTrainer()
        budget = max_chars
        for text in texts:
            if budget <= 0:
                break
            trainer.train(text[:budget], finalize=False)
            budget -= len(text)
        trainer.finalize_training()
        return cls(trainer.get_params())

    def split(self, document: Document) -> list[Sentence]:
        """The sentences of every paragraph of ``document``, numbered from 1."""
        sentences = []
        for number, paragraph in enumerate(document.paragraphs, start=1):
            spans = self.split_span(document.text, paragraph)
            for index, span in enumerate(spans, start=1):
                text = document.text[span.start : span.end]
                sentences.append(
                    Sentence(document.info.doc_id, number, index, span.start, span.end, text)
                )
        return sentences

    def split_span(self, text: str, paragraph: Span) -> list[Span]:
        """Sentence spans (absolute offsets) within one paragraph span of ``text``."""
        chunk = text[paragraph.start : paragraph.end]
        spans = []
        for start, end in self._tokenizer.span_tokenize(chunk):
            span = trim(text, Span(paragraph.start + start, paragraph.start + end))
            if span is not None:
                spans.extend(_cap_length(text, span))
        return spans

    def to_json(self) -> dict[str, Any]:
        """The learned parameters as JSON-ready data."""
        params = self._params
        return {
            "abbrev_types": sorted(params.abbrev_types),
            "collocations": sorted(list(pair) for pair in params.collocations),
            "sent_starters": sorted(params.sent_starters),
            "ortho_context": sorted([word, flags] for word, flags in params.ortho_context.items()),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SentenceSplitter:
        """Rebuild a splitter from :meth:`to_json` output."""
        params = PunktParameters()
        params.abbrev_types = set(map(str, data["abbrev_types"]))
        params.collocations = {(str(a), str(b)) for a, b in data["collocations"]}
        params.sent_starters = set(map(str, data["sent_starters"]))
        for word, flags in data["ortho_context"]:
            params.ortho_context[str(word)] = int(flags)
        return cls(params)


def _cap_length(text: str, span: Span) -> list[Span]:
    pieces = []
    start = span.start
    while span.end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        piece = trim(text, Span(start, cut))
        if piece is not None:
            pieces.append(piece)
        start = cut
    last = trim(text, Span(start, span.end))
    return pieces + ([last] if last is not None else [])
