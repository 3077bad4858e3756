"""Sentence splitting with NLTK's Punkt, trained on the corpus itself.

Punkt (Kiss & Strunk 2006) learns abbreviations, collocations and sentence
starters from raw text without supervision, so qabot needs no downloaded
``punkt`` model: it trains on (a bounded sample of) the corpus and adds the
abbreviations in ``data/abbreviations.txt``. The learned parameters are stored
with the index as JSON, so a loaded index splits new text the same way.

NLTK runs Punkt's regular expressions under a wall-clock limit (5 s per call,
``nltk.redos``): one paragraph of a few megabytes in one call trips it, and on a
busy machine so might less. Punkt therefore only ever sees pieces of at most
:data:`PUNKT_PIECE_CHARS`, cut where a sentence visibly ends (or else at white
space), for training and splitting alike; should the limit still trip, that piece
is cut at its sentence punctuation without Punkt. A huge paragraph costs time in
proportion to its length, and one file never fails a build.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from index.articles.paragraphs import trim
from index.articles.quick_punkt import QuickToken, QuickTrainer
from index.records import Document, Sentence, Span
from index.terms.wordlists import abbreviations

# Punkt learns from the start of the corpus. Training runs before any splitting and costs
# about 1.4 µs a character (4 µs before QuickToken); on the bench corpus 1.2% of the
# sentences come out different trained on 2 rather than 4 million characters (1.8% on
# 1 million), by abbreviations learned either way ("ca.", "C."); the evaluation corpora
# all hold less than 2 million.
DEFAULT_TRAINING_CHARS = 2_000_000
# A "sentence" longer than this (a table, a line with no punctuation) is cut at
# white space, so a hit stays quotable and one run-on line cannot dominate BM25.
MAX_SENTENCE_CHARS = 1_500
# The longest text handed to Punkt in one call (a long news paragraph is 2,000).
PUNKT_PIECE_CHARS = 20_000
# A visible sentence end: punctuation, closing quotes or brackets, white space.
_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*\s+""")
_WHITESPACE = re.compile(r"\s+")


class _RememberingPunkt(PunktSentenceTokenizer):  # type: ignore[misc]
    """Punkt that remembers its decisions.

    At each candidate break Punkt tokenizes and annotates the few words around it
    ("said. The") to decide; that was a third of the time spent per sentence at
    indexing. The decision depends only on those words and the fixed parameters,
    and the same contexts come back again and again, so each is decided once.
    """

    def __init__(self, params: PunktParameters) -> None:
        super().__init__(params, token_cls=QuickToken)
        self._decisions: dict[str, bool] = {}

    def text_contains_sentbreak(self, text: str) -> bool:
        decision = self._decisions.get(text)
        if decision is None:
            if len(self._decisions) >= _REMEMBERED:
                self._decisions.clear()
            decision = self._decisions[text] = bool(super().text_contains_sentbreak(text))
        return decision


# Contexts remembered at most (a few words each): a few megabytes.
_REMEMBERED = 100_000


class SentenceSplitter:
    """Splits document paragraphs into sentences with exact spans."""

    def __init__(self, params: PunktParameters) -> None:
        params.abbrev_types.update(abbreviations())
        self._params = params
        self._tokenizer = _RememberingPunkt(params)

    def __getstate__(self) -> PunktParameters:
        # The learned parameters alone: a worker rebuilds the tokenizer, without its memory.
        return self._params

    def __setstate__(self, params: PunktParameters) -> None:
        self._params = params
        self._tokenizer = _RememberingPunkt(params)

    @classmethod
    def train(
        cls, texts: Iterable[str], max_chars: int = DEFAULT_TRAINING_CHARS
    ) -> SentenceSplitter:
        """Learn Punkt parameters from up to ``max_chars`` characters of ``texts``."""
        trainer = QuickTrainer()
        budget = max_chars
        for text in texts:
            if budget <= 0:
                break
            sample = text[:budget]
            for piece in pieces(sample, Span(0, len(sample))):
                # Training reads a sample; a piece NLTK's time limit stops is left out of it.
                with contextlib.suppress(TimeoutError):
                    trainer.train(sample[piece.start : piece.end], finalize=False)
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
        spans = []
        for piece in pieces(text, paragraph):
            for start, end in self._punkt_spans(text[piece.start : piece.end]):
                span = trim(text, Span(piece.start + start, piece.start + end))
                if span is not None:
                    spans.extend(_cap_length(text, span))
        return spans

    def _punkt_spans(self, chunk: str) -> list[tuple[int, int]]:
        try:
            return list(self._tokenizer.span_tokenize(chunk))
        except TimeoutError:  # NLTK's regular-expression time limit
            return _rough_spans(chunk)

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


def pieces(text: str, span: Span) -> Iterator[Span]:
    """``span`` cut into consecutive pieces of at most :data:`PUNKT_PIECE_CHARS`, each
    ending where a sentence visibly ends in the second half of its room, else at the
    last white space there, else at the limit."""
    start = span.start
    while span.end - start > PUNKT_PIECE_CHARS:
        cut = _cut_point(text, start + PUNKT_PIECE_CHARS // 2, start + PUNKT_PIECE_CHARS)
        yield Span(start, cut)
        start = cut
    yield Span(start, span.end)


def _cut_point(text: str, lo: int, hi: int) -> int:
    for pattern in (_SENTENCE_END, _WHITESPACE):
        ends = [match.end() for match in pattern.finditer(text, lo, hi)]
        if ends:
            return ends[-1]
    return hi


def _rough_spans(chunk: str) -> list[tuple[int, int]]:
    """Sentences cut after every visible sentence end (no Punkt): a last resort."""
    cuts = [0, *(match.end() for match in _SENTENCE_END.finditer(chunk)), len(chunk)]
    return [(lo, hi) for lo, hi in pairwise(cuts) if hi > lo]


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
