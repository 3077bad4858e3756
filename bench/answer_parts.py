"""Two parts of an answer at scale: did-you-mean suggestions and highlighting (issue 4).

    .venv/bin/python -m bench.answer_parts INDEX_DIR QUESTIONS_JSON [--seed 4] [--typos 300]

Loads the index (read only), then times, once per question:

- ``suggestions``: ``Searcher.suggestions`` for every question with an unknown term, and
  for typo'd copies of the first ``--typos`` questions (one word of five letters or more given
  one random edit: swap, drop, double or replace a letter; seeded, so every run asks the same
  questions). Only the first call per question is timed: a correction may be remembered.
- ``suggest, per word``: ``Speller.suggest`` alone, for each distinct word of those typo'd
  questions that looks like a typo (after one call that builds the word lists).
- ``highlights``: ``Searcher.highlights`` over the 10 hits of each answer, after the
  search that found them (so the analyzer has seen the words once, as in the bot).

Prints medians and 95th percentiles in milliseconds, and resident memory (MiB) before and after
the suggestions (what the spelling structures cost; the search kernels are warmed first, as
``open_index`` does, so numba's own runtime is not counted against them).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from bench.measure import rss_mib
from index import Searcher, load_index

K = 10
_LONG_WORD = re.compile(r"\b[a-z]{5,}\b")


def typo(question: str, rng: random.Random) -> str | None:
    """``question`` with one random edit inside one of its longer lowercase words."""
    words = list(_LONG_WORD.finditer(question))
    if not words:
        return None
    match = rng.choice(words)
    word, at = match.group(), rng.randrange(1, len(match.group()) - 1)
    edits = (
        word[:at] + word[at + 1] + word[at] + word[at + 2 :],
        word[:at] + word[at + 1 :],
        word[:at] + word[at] + word[at:],
        word[:at] + rng.choice("aeiourstn") + word[at + 1 :],
    )
    return question[: match.start()] + rng.choice(edits) + question[match.end() :]


def timed_ms(action: Callable[[], object]) -> float:
    """Milliseconds one call of ``action`` took."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summary(name: str, times: Sequence[float]) -> str:
    """Median and 95th percentile of ``times`` in one line."""
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    median = statistics.median(ordered)
    return f"{name:>22}: median {median:8.3f} ms, p95 {p95:8.3f} ms, n={len(ordered)}"


def with_unknown_terms(index: Searcher, questions: Sequence[str]) -> list[str]:
    """The questions with at least one term the index does not hold."""
    known = index.term_ids
    return [q for q in questions if any(t not in known for t in index.analyzer.terms(q))]


def suggestion_times(index: Searcher, questions: Sequence[str]) -> list[float]:
    """How long correcting each question's spelling took (the speller's whole pass)."""
    return [timed_ms(partial(index.speller.correct, question)) for question in questions]


def typo_words(index: Searcher, questions: Sequence[str]) -> list[str]:
    """The words of ``questions`` that the speller would try to correct, once each."""
    words = (w for q in questions for w in re.findall(r"[^\W\d_]+", q))
    return [w for w in dict.fromkeys(words) if index.speller.looks_like_typo(w)]


def suggest_times(index: Searcher, words: Sequence[str]) -> list[float]:
    """How long ``Speller.suggest`` took for each word (the first call builds the word lists)."""
    index.speller.suggest("qabotx")
    return [timed_ms(partial(index.speller.suggest, word)) for word in words]


def highlight_all(index: Searcher, texts: Sequence[str], query: frozenset[str]) -> None:
    """Highlight the words of ``query`` in every one of ``texts``."""
    for text in texts:
        index.highlights(text, query)


def highlight_times(index: Searcher, questions: Sequence[str]) -> list[float]:
    """How long highlighting the hits took, for each answer with ``K`` hits."""
    times = []
    for question in questions:
        answer = index.search(question, K, spelling=False)
        if len(answer.hits) < K:
            continue
        texts = [hit.sentence.text for hit in answer.hits]
        times.append(timed_ms(partial(highlight_all, index, texts, frozenset(answer.terms))))
    return times


def main() -> None:
    """Print the suggestion and highlight latencies over the bench questions."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--typos", type=int, default=300, help="typo'd questions to ask")
    args = parser.parse_args()
    index = load_index(args.index_dir).searcher  # warms the kernels, as open_index does
    questions: list[str] = json.loads(args.questions.read_text(encoding="utf-8"))
    rng = random.Random(args.seed)
    typos = [t for t in (typo(q, rng) for q in questions) if t is not None][: args.typos]
    before = rss_mib()
    unknown = suggestion_times(index, with_unknown_terms(index, questions))
    print(f"resident memory: {before:.1f} MiB before suggestions, {rss_mib():.1f} MiB after")
    print(summary("suggestions (unknown)", unknown))
    print(summary("suggestions (typo'd)", suggestion_times(index, typos)))
    print(summary("suggest, per word", suggest_times(index, typo_words(index, typos))))
    print(summary(f"highlights ({K} hits)", highlight_times(index, questions)))


if __name__ == "__main__":
    main()
