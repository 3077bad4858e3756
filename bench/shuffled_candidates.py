"""An answer-sentence set with each question's candidates in a shuffled order.

    .venv/bin/python -m bench.shuffled_candidates ../shared/eval/trecqa-dev /tmp/trecqa-dev-shuffled

reads ``PREFIX-articles.jsonl`` and ``PREFIX-questions.jsonl`` and writes the same
two files under ``OUT``: every article's paragraphs (its candidate sentences) in a
shuffled order (seed 12, so every run writes the same files) and every answer's
offsets moved with its paragraph.

Why: the TrecQA files list each question's correct sentences first (every one of
the 161 train and dev questions; the XML lists positives before negatives), so a
ranker that favours an article's first sentences scores well on TrecQA for a
reason that has nothing to do with the question. ``qabot eval`` on the shuffled
copy measures the ranking without that leak (docs/quality.md).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

SEED = 12
SEPARATOR = "\n\n"


def shuffled_article(
    article: dict[str, Any], rng: random.Random
) -> tuple[dict[str, Any], dict[int, int]]:
    """The article with its paragraphs shuffled, and how far each old start moved."""
    paragraphs = str(article["text"]).split(SEPARATOR)
    starts = _starts(paragraphs)
    order = list(range(len(paragraphs)))
    rng.shuffle(order)
    new_starts = dict(zip(order, _starts([paragraphs[i] for i in order]), strict=True))
    moves = {starts[i]: new_starts[i] - starts[i] for i in range(len(paragraphs))}
    text = SEPARATOR.join(paragraphs[i] for i in order)
    return {**article, "text": text}, moves


def moved_answers(question: dict[str, Any], moves: dict[int, int]) -> dict[str, Any]:
    """The question with each answer's offsets moved with the paragraph holding it."""
    starts = sorted(moves)
    answers = []
    for answer in question["answers"]:
        start = int(answer["start"])
        paragraph = max(s for s in starts if s <= start)
        shift = moves[paragraph]
        answers.append({**answer, "start": start + shift, "end": int(answer["end"]) + shift})
    return {**question, "answers": answers}


def _starts(paragraphs: list[str]) -> list[int]:
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph) + len(SEPARATOR)
    return starts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefix", help="input files: PREFIX-articles.jsonl, PREFIX-questions.jsonl")
    parser.add_argument("out", help="output files: OUT-articles.jsonl, OUT-questions.jsonl")
    args = parser.parse_args()
    rng = random.Random(SEED)
    moves: dict[str, dict[int, int]] = {}
    articles = Path(f"{args.prefix}-articles.jsonl").read_text(encoding="utf-8").splitlines()
    with Path(f"{args.out}-articles.jsonl").open("w", encoding="utf-8") as sink:
        for line in articles:
            article, moves[str(json.loads(line)["id"])] = shuffled_article(json.loads(line), rng)
            sink.write(json.dumps(article, ensure_ascii=False) + "\n")
    questions = Path(f"{args.prefix}-questions.jsonl").read_text(encoding="utf-8").splitlines()
    with Path(f"{args.out}-questions.jsonl").open("w", encoding="utf-8") as sink:
        for line in questions:
            question = json.loads(line)
            moved = moved_answers(question, moves[str(question["article_id"])])
            sink.write(json.dumps(moved, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
