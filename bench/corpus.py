"""A deterministic benchmark corpus: real English sentences recombined into articles.

The sentences come from the SQuAD dev articles in ``../shared/eval``. Each
generated sentence is a real sentence, or with even odds the head of one real
sentence (up to a comma) joined to the tail of another, so a million sentences
are not a few thousand repeated verbatim. The same seed gives the same bytes.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SENTENCES_PER_ARTICLE = 25
PARAGRAPH_SENTENCES = 5
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")


@dataclass(frozen=True, slots=True)
class BenchQuestion:
    """A question from the eval set; its article's sentences are in the pool."""

    text: str


def eval_dir(repo: Path) -> Path:
    """Where the evaluation data lives: ``shared/eval`` beside the repository, or beside
    one of its parent folders (a git worktree under ``wt/``); ``../shared/eval`` if none."""
    for folder in repo.resolve().parents:
        if (folder / "shared" / "eval").is_dir():
            return folder / "shared" / "eval"
    return repo.resolve().parent / "shared" / "eval"


def sentence_pool(articles: Path) -> list[str]:
    """Every sentence of the eval articles, split at sentence punctuation."""
    pool: list[str] = []
    with articles.open(encoding="utf-8") as handle:
        for line in handle:
            for paragraph in json.loads(line)["text"].split("\n"):
                pool.extend(s.strip() for s in _BOUNDARY.split(paragraph) if len(s.strip()) > 20)
    return pool


def _recombined(rng: random.Random, pool: list[str]) -> str:
    first = pool[rng.randrange(len(pool))]
    if rng.random() < 0.5:
        return first
    second = pool[rng.randrange(len(pool))]
    head, tail = first.find(", "), second.find(", ")
    if head < 0 or tail < 0:
        return first
    return first[:head] + second[tail:]


def articles(pool: list[str], sentences: int, seed: int = 4) -> Iterator[dict[str, str]]:
    """JSONL records holding ``sentences`` sentences in articles of 25, 5 per paragraph."""
    rng = random.Random(seed)
    for number in range(-(-sentences // SENTENCES_PER_ARTICLE)):
        count = min(SENTENCES_PER_ARTICLE, sentences - number * SENTENCES_PER_ARTICLE)
        body = [_recombined(rng, pool) for _ in range(count)]
        paragraphs = [
            " ".join(body[i : i + PARAGRAPH_SENTENCES])
            for i in range(0, count, PARAGRAPH_SENTENCES)
        ]
        yield {
            "id": f"bench-{number:06d}",
            "title": f"Article {number}",
            "text": "\n\n".join(paragraphs),
        }


def write_corpus(pool: list[str], sentences: int, target: Path, seed: int = 4) -> Path:
    """Write the corpus as ``target/articles.jsonl`` (unless it already exists)."""
    path = target / "articles.jsonl"
    if path.exists():
        return path
    target.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".tmp")
    with staging.open("w", encoding="utf-8") as handle:
        for record in articles(pool, sentences, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    staging.replace(path)
    return path


def questions(path: Path, count: int, seed: int = 4) -> list[str]:
    """``count`` eval questions, sampled deterministically."""
    with path.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["question"] for line in handle]
    return random.Random(seed).sample(texts, min(count, len(texts)))
