from __future__ import annotations

import pytest
from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktToken, PunktTrainer

from index.articles.corpus import read_corpus
from index.articles.quick_punkt import QuickToken, QuickTrainer
from index.records import Document
from tests.conftest import FIXTURE_CORPUS

TRICKY = (
    *("U.S.", "U.S", "Mr.", "Dr", "...", "..", ".", "e.g.", "A.", "a.", "J.", "3.", "1,000."),
    *("-1.5", ".5", "1990s.", "50th", "Levi's", "O'Brien", "don't", "“Quoted”", "'s"),
    *("Zürich.", "naïve", "ÉCOLE", "İstanbul", "ß", "中文.", "x²", "—", "?", "!", ",", "$5"),
)
PROPERTIES = (
    *("type", "period_final", "type_no_period", "type_no_sentperiod", "first_upper"),
    *("first_lower", "first_case", "is_ellipsis", "is_number", "is_initial", "is_alpha"),
    *("is_non_punct", "parastart", "linestart", "sentbreak", "abbr", "ellipsis"),
)


def _seen(token: PunktToken) -> dict[str, object]:
    # NLTK's shape properties return match objects: Punkt only tests their truth.
    return {
        name: bool(value) if name.startswith("is_") else value
        for name, value in ((name, getattr(token, name)) for name in PROPERTIES)
    }


@pytest.mark.parametrize("tok", TRICKY)
def test_a_quick_token_says_what_nltks_says(tok: str) -> None:
    for start in (None, True):
        expected = PunktToken(tok, parastart=start, linestart=start)
        for _ in range(2):  # the first time works it out, the second looks it up
            assert _seen(QuickToken(tok, parastart=start, linestart=start)) == _seen(expected)


def _trained(trainer: PunktTrainer, texts: list[str]) -> PunktTrainer:
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    return trainer


def test_punkt_learns_the_same_parameters_and_splits_the_same_way() -> None:
    texts = [d.text for d in read_corpus(FIXTURE_CORPUS) if isinstance(d, Document)]
    texts.append(" ".join(f"The {tok} went on. Then it ended..." for tok in TRICKY))
    quick, plain = _trained(QuickTrainer(), texts), _trained(PunktTrainer(), texts)
    assert quick.get_params().__dict__ == plain.get_params().__dict__
    assert quick.get_params().abbrev_types and quick.get_params().ortho_context
    quick_splitter = PunktSentenceTokenizer(quick.get_params(), token_cls=QuickToken)
    plain_splitter = PunktSentenceTokenizer(plain.get_params())
    for text in texts:
        assert list(quick_splitter.span_tokenize(text)) == list(plain_splitter.span_tokenize(text))
