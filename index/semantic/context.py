"""What a sentence is embedded as: the sentence in its article's context.

Alone, a sentence often leaves out what it speaks of. "He was shot by Mark David
Chapman at the entrance of the building where he lived" does not say who; "The
stadium seats 85,000" does not say which. People ask about the subject ("Who shot
John Lennon?"), so the model sees each sentence with what its article lends it:

* the article's title, as ``"<title>: <sentence>"``, when the title names the
  article's subject (:func:`subject_title`): most of its words occur in the
  article. A title made from a file name ("000_7ababf70601c1a86") or a label
  ("wikiqa-dev 2") names nothing and would only blur every vector of its article;
* the sentence before, when the sentence starts with a pronoun ("He", "It",
  "This" ...): its subject is there.

docs/semantic.md has what each is worth. The vectors then depend on the context, so
the vector store keys each row by the text embedded (:func:`embedded_text`): a
changed title or a changed sentence before is embedded again.
"""

from __future__ import annotations

import re

from index.terms.sentence_facts import pronoun_led
from index.terms.wordlists import stopwords

# Part of the stored vectors' identity: change it when the text embedded changes.
CONTEXT = "title-pronoun-1"
_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")  # letters only: numbers and ids name no subject


def subject_title(title: str, article_text: str) -> str | None:
    """``title`` as context (underscores read as spaces), or ``None`` when it does not name
    the article's subject: more than half of its words of four letters or more must begin
    a word of ``article_text`` ("talks" finds "talk", "Normans" finds "Norman")."""
    readable = " ".join(title.replace("_", " ").split())
    words = [w for w in _TITLE_WORD.findall(readable.lower()) if w not in stopwords()]
    if not words:
        return None
    text = article_text.lower()
    found = sum(_begins_a_word(word[: max(4, len(word) - 2)], text) for word in words)
    return readable if 2 * found > len(words) else None


def _begins_a_word(stem: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(stem)}", text) is not None


def embedded_text(sentence: str, title: str | None, previous: str | None) -> str:
    """What the model embeds for ``sentence``: prefixed by its article's ``title`` (when it
    names the subject, see :func:`subject_title`) and, when it starts with a pronoun, by
    the sentence ``previous`` to it in the same article (``None`` for an article's first)."""
    before = f"{previous} " if previous and pronoun_led(sentence) else ""
    prefix = f"{title}: " if title else ""
    return f"{prefix}{before}{sentence}"
