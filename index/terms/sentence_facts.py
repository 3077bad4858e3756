"""What the re-ranker needs to know about each sentence, worked out once at build time.

Re-ranking looks at a hundred candidate sentences per question: whether one
starts with a pronoun (its subject is in the sentence before) and which
answers it could hold (a year, a number, a name). Working that out from the
text at question time cost about 100 µs a sentence, ten milliseconds a
question; stored as a flag byte and a few integer codes per sentence it is a
lookup.

A cue is stored as a code, ``kind << 32 | crc32(value)``: the question's own
years, numbers and terms are coded the same way, so "a year the question does
not already name" is a comparison of integers. Two different values of one
kind colliding within one question's candidates (a 1 in 2³² chance) could
only cost a small answer-type bonus, never a wrong result.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.terms.analysis import Analyzer
from index.terms.answer_types import AnswerType, Asked, SentenceCues, sentence_cues
from index.terms.sentence_keys import sentence_key

PRONOUN_LED, MONEY, PERCENT, REASON = 1, 2, 4, 8
_TIME, _NUMBER, _NAME, _YEAR, _COUNT = 1, 2, 3, 4, 5
# The cue kind each answer type wants, and the flag the sentence must carry as well.
_WANTS = {
    AnswerType.TIME: (_TIME, 0),
    AnswerType.NUMBER: (_NUMBER, 0),
    AnswerType.YEAR: (_YEAR, 0),
    AnswerType.COUNT: (_COUNT, 0),
    AnswerType.MONEY: (_NUMBER, MONEY),
    AnswerType.PERCENT: (_NUMBER, PERCENT),
}
_NAMED = (AnswerType.PERSON, AnswerType.PLACE, AnswerType.ENTITY)
# A sentence led by one of these continues the previous sentence's subject.
PRONOUNS = frozenset(
    {
        *("he", "she", "it", "they", "his", "her", "its", "their"),
        *("this", "these", "that", "those", "him", "them", "such"),
    }
)


def pronoun_led(text: str) -> bool:
    """Whether ``text`` starts with a pronoun ("He said ...", "Its ...")."""
    words = text.split(maxsplit=1)
    return bool(words) and words[0].lower().strip(",;:") in PRONOUNS


def cue_code(kind: int, value: str) -> int:
    """The integer standing for one cue of one kind."""
    return kind << 32 | zlib.crc32(value.encode("utf-8", "surrogatepass"))


def encode_cues(cues: SentenceCues) -> list[int]:
    """A sentence's cues as sorted, distinct codes (counts: its numbers that are not years)."""
    codes = {cue_code(_TIME, value) for value in cues.times}
    codes.update(cue_code(_NUMBER, value) for value in cues.numbers)
    codes.update(cue_code(_NAME, value) for value in cues.names)
    codes.update(cue_code(_YEAR, value) for value in cues.years)
    codes.update(cue_code(_COUNT, value) for value in cues.numbers - cues.years)
    return sorted(codes)


def sentence_flags(text: str, cues: SentenceCues) -> int:
    """The flag byte of a sentence: pronoun-led, mentions money, a percentage, a reason."""
    return (
        (PRONOUN_LED if pronoun_led(text) else 0)
        | (MONEY if cues.money else 0)
        | (PERCENT if cues.percent else 0)
        | (REASON if cues.reason else 0)
    )


@dataclass(frozen=True, slots=True)
class QuestionCues:
    """What a question asks for, as codes: the kind of cue wanted and the ones it names."""

    kind: int
    known: npt.NDArray[np.int64]
    flag: int = 0

    @classmethod
    def of(cls, kind: AnswerType, asked: Asked) -> QuestionCues:
        """Codes for ``asked``: a sentence fits when it holds a wanted cue not among them
        (and carries ``flag``, for money and percentages)."""
        flag = 0
        if kind in _WANTS:
            wanted, flag = _WANTS[kind]
            known = [cue_code(wanted, value) for value in asked.words]
        elif kind is AnswerType.REASON:
            wanted, known, flag = 0, [], REASON
        elif kind in _NAMED:
            wanted, known = _NAME, [cue_code(_NAME, term) for term in asked.terms]
        else:
            wanted, known = 0, []
        return cls(wanted, np.array(sorted(known), dtype=np.int64), flag)


@dataclass(frozen=True, eq=False)
class SentenceFacts:
    """Per-sentence flags, answer-type cue codes (compressed rows) and the keys copies of
    one sentence share (``index.terms.sentence_keys``), by sentence id."""

    flags: npt.NDArray[np.uint8]
    cue_indptr: npt.NDArray[np.int64]
    cue_codes: npt.NDArray[np.int64]
    text_keys: npt.NDArray[np.uint64]

    def __len__(self) -> int:
        return int(self.flags.shape[0])

    def pronoun_led(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """For each id, whether its sentence starts with a pronoun."""
        led: npt.NDArray[np.bool_] = (np.asarray(self.flags)[ids] & PRONOUN_LED) != 0
        return led

    def fits(self, ids: npt.NDArray[np.int64], question: QuestionCues) -> npt.NDArray[np.bool_]:
        """For each id, whether its sentence holds an answer of the wanted kind the
        question does not already name (:func:`index.answer_types.fits`)."""
        if not ids.shape[0] or not (question.kind or question.flag):
            return np.zeros(ids.shape[0], dtype=bool)
        if not question.kind:  # a flag alone answers (a reason for "why")
            flagged: npt.NDArray[np.bool_] = (np.asarray(self.flags)[ids] & question.flag) != 0
            return flagged
        lo, hi = self.cue_indptr[ids], self.cue_indptr[ids + 1]
        counts = (hi - lo).astype(np.int64)
        owner = np.repeat(np.arange(ids.shape[0]), counts)
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        codes = np.asarray(self.cue_codes)[starts + np.arange(owner.shape[0])]
        wanted = ((codes >> 32) == question.kind) & ~np.isin(codes, question.known)
        holds: npt.NDArray[np.bool_] = np.bincount(owner[wanted], minlength=ids.shape[0]) > 0
        if question.flag:
            holds &= (np.asarray(self.flags)[ids] & question.flag) != 0
        return holds

    @classmethod
    def of_texts(cls, texts: Iterable[str], analyzer: Analyzer) -> SentenceFacts:
        """The facts of sentences given as text (small indexes, tests)."""
        builder = SentenceFactsBuilder()
        for text in texts:
            builder.add_sentence(text, analyzer)
        return builder.build()


class SentenceFactsBuilder:
    """Collects sentences' facts in order, then freezes them."""

    def __init__(self) -> None:
        self.flags = array("B")
        self.cue_counts = array("i")
        self.cue_codes = array("q")
        self.text_keys = array("Q")

    def add_sentence(self, text: str, analyzer: Analyzer) -> None:
        """Work out and append the facts of one sentence."""
        cues = sentence_cues(text, analyzer)
        self.flags.append(sentence_flags(text, cues))
        codes = encode_cues(cues)
        self.cue_counts.append(len(codes))
        self.cue_codes.extend(codes)
        self.text_keys.append(sentence_key(text))

    def extend(self, other: SentenceFactsBuilder) -> None:
        """Append everything ``other`` collected."""
        self.flags.extend(other.flags)
        self.cue_counts.extend(other.cue_counts)
        self.cue_codes.extend(other.cue_codes)
        self.text_keys.extend(other.text_keys)

    def build(self) -> SentenceFacts:
        """The finished facts."""
        indptr = np.zeros(len(self.flags) + 1, dtype=np.int64)
        if self.cue_counts:
            np.cumsum(np.frombuffer(self.cue_counts, dtype=np.int32), out=indptr[1:])
        return SentenceFacts(
            flags=np.array(self.flags, dtype=np.uint8),
            cue_indptr=indptr,
            cue_codes=np.array(self.cue_codes, dtype=np.int64),
            text_keys=np.array(self.text_keys, dtype=np.uint64),
        )


def joined(parts: Sequence[SentenceFacts]) -> SentenceFacts:
    """The facts of consecutive runs of sentences, one after another."""
    indptrs = [np.asarray(parts[0].cue_indptr)]
    for part in parts[1:]:
        indptrs.append(np.asarray(part.cue_indptr[1:]) + indptrs[-1][-1])
    return SentenceFacts(
        flags=np.concatenate([np.asarray(part.flags) for part in parts]),
        cue_indptr=np.concatenate(indptrs).astype(np.int64),
        cue_codes=np.concatenate([np.asarray(part.cue_codes) for part in parts]),
        text_keys=np.concatenate([np.asarray(part.text_keys) for part in parts]),
    )


def kept(facts: SentenceFacts, keep: npt.NDArray[np.bool_]) -> SentenceFacts:
    """The facts of the sentences where ``keep`` is true, in order."""
    counts = np.diff(facts.cue_indptr)
    owner = np.repeat(np.arange(len(facts)), counts)
    indptr = np.zeros(int(keep.sum()) + 1, dtype=np.int64)
    np.cumsum(counts[keep], out=indptr[1:])
    return SentenceFacts(
        flags=np.asarray(facts.flags)[keep],
        cue_indptr=indptr,
        cue_codes=np.asarray(facts.cue_codes)[keep[owner]],
        text_keys=np.asarray(facts.text_keys)[keep],
    )
