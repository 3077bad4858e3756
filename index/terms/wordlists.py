"""The word lists qabot ships instead of NLTK's downloadable data."""

from __future__ import annotations

from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = (
        resources.files("index.terms").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    )
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def stopwords() -> frozenset[str]:
    """Lowercase function words and question words, dropped from every query and sentence."""
    return frozenset(_lines("stopwords.txt"))


@cache
def abbreviations() -> frozenset[str]:
    """Lowercase abbreviations without their final period (``u.s``, ``gen``) for Punkt."""
    return frozenset(_lines("abbreviations.txt"))


@cache
def irregular_verbs() -> dict[str, str]:
    """Irregular verb form -> base form (``said`` -> ``say``)."""
    verbs: dict[str, str] = {}
    for line in _lines("irregular_verbs.txt"):
        form, base = line.split()
        verbs[form] = base
    return verbs


@cache
def english_words() -> tuple[str, ...]:
    """Lowercase English words, most frequent first (SymSpell's list; see docs/quality.md)."""
    return tuple(_lines("english_words.txt"))


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Groups of words a question may use for one another (``allege accuse``), as written."""
    return tuple(tuple(line.split()) for line in _lines("synonyms.txt"))
