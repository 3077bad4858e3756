"""NLTK's Punkt made quicker, learning and deciding exactly what it did.

NLTK's ``PunktToken`` derives a token's type and its shape (ellipsis, initial,
alphabetic, number, first letter's case) with regular expressions run under a
time limit, again for every occurrence of the word and again at every reading
of a property: more than half of the time Punkt spends training. A word's facts
depend on its text alone, so :class:`QuickToken` asks NLTK's own token once per
distinct word and keeps the answers in slots that shadow NLTK's properties. The
tokens, and so everything Punkt learns and decides, are the same.
:class:`QuickTrainer` also skips, before a regular expression is run on them, the
word types its abbreviation check would skip anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from nltk.tokenize.punkt import PunktToken, PunktTrainer

# Distinct words remembered at most (a few hundred bytes each); past it the memory restarts.
_REMEMBERED = 200_000
_Facts = tuple[str, bool, str, bool, bool, str, bool, bool, bool, bool, bool]
_facts: dict[str, _Facts] = {}


def _facts_of(tok: str) -> _Facts:
    """What NLTK's own token says about ``tok`` (properties as booleans: Punkt only
    ever tests them)."""
    token = PunktToken(tok)
    return (
        token.type,
        token.period_final,
        token.type_no_period,
        token.first_upper,
        token.first_lower,
        token.first_case,
        bool(token.is_ellipsis),
        bool(token.is_number),
        bool(token.is_initial),
        bool(token.is_alpha),
        bool(token.is_non_punct),
    )


class QuickToken(PunktToken):  # type: ignore[misc]
    """A ``PunktToken`` with its word-level properties looked up, not recomputed."""

    __slots__ = (
        *("type_no_period", "first_upper", "first_lower", "first_case"),
        *("is_ellipsis", "is_number", "is_initial", "is_alpha", "is_non_punct"),
    )

    def __init__(self, tok: str, parastart: bool | None = None, linestart: bool | None = None):
        facts = _facts.get(tok)
        if facts is None:
            if len(_facts) >= _REMEMBERED:
                _facts.clear()
            facts = _facts[tok] = _facts_of(tok)
        self.tok = tok
        (
            self.type,
            self.period_final,
            self.type_no_period,
            self.first_upper,
            self.first_lower,
            self.first_case,
            self.is_ellipsis,
            self.is_number,
            self.is_initial,
            self.is_alpha,
            self.is_non_punct,
        ) = facts
        self.parastart = parastart
        self.linestart = linestart
        self.sentbreak = self.abbr = self.ellipsis = None


class QuickTrainer(PunktTrainer):  # type: ignore[misc]
    """A ``PunktTrainer`` on :class:`QuickToken` that re-examines fewer word types."""

    def __init__(self) -> None:
        super().__init__(token_cls=QuickToken)

    def _reclassify_abbrev_types(self, types: Iterable[str]) -> Iterator[tuple[str, float, bool]]:
        # NLTK re-examines a period-final type not yet an abbreviation, or an abbreviation
        # seen without its period; the rest it skips, after a regular expression. The
        # filter is lazy, as NLTK's loop: its caller adds abbreviations as it goes.
        known = self._params.abbrev_types
        wanted = (typ for typ in types if typ.endswith(".") is (typ not in known))
        yield from super()._reclassify_abbrev_types(wanted)
