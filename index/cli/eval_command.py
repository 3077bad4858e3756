"""``qabot eval``: the quality harness on the command line (see docs/quality.md)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.cli.commands import Command
from index.cli.settings import LoadedSettings
from index.errors import EvaluationDataError

if TYPE_CHECKING:
    from index.ranking.rerank import RerankConfig
    from index.records import Document
    from index.service.evaluation import Metrics, Outcome

SUMMARY = "measure answer quality (P@1, MRR@k, R@5) on gold questions"


def eval_arguments(sub: argparse.ArgumentParser) -> None:
    """The options of ``qabot eval``; the evaluation code is imported only for this command."""
    from index.ranking.bm25 import DEFAULT_B, DEFAULT_K1
    from index.ranking.rerank import LEVERS
    from index.service.evaluation import MODES, PARTS

    sub.add_argument("--articles", type=Path, required=True, help="articles JSONL")
    sub.add_argument("--questions", type=Path, required=True, help="gold questions JSONL")
    sub.add_argument("--split", type=Path, help="split JSON with dev and test article ids")
    sub.add_argument(
        "--part", choices=PARTS, help="which part of --split to ask about (default dev)"
    )
    sub.add_argument("--mode", choices=MODES, default="open", help="open corpus or own article")
    sub.add_argument("-k", type=int, default=10, help="ranks counted by MRR (default 10)")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.add_argument("--misses", type=Path, help="write questions with a wrong top sentence here")
    sub.add_argument("--k1", type=float, default=DEFAULT_K1, help="BM25 k1")
    sub.add_argument("--b", type=float, default=DEFAULT_B, help="BM25 b")
    sub.add_argument("--no-rerank", action="store_true", help="plain BM25 order")
    sub.add_argument(
        "--without", action="append", choices=LEVERS, default=[], help="switch a lever off"
    )
    sub.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="LEVER=WEIGHT",
        help=f"set a lever's weight ({', '.join(LEVERS)}) or depth",
    )


def run_eval(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    """Build the index in memory, ask every selected question, print the figures."""
    from index.ranking.bm25 import BM25Params
    from index.service.evaluation import (
        build_eval_index,
        evaluate,
        metrics,
        read_articles,
        read_questions,
        read_split,
    )

    try:
        documents = read_articles(args.articles)
        questions = read_questions(args.questions)
        if args.split is not None:
            part = read_split(args.split, args.part or "dev")
            questions = [q for q in questions if q.article_id in part]
    except (OSError, ValueError, EvaluationDataError) as error:
        print(f"qabot: {error}", file=sys.stderr)
        return 2
    if not 1 <= args.k <= 100:
        print("qabot: -k must be between 1 and 100", file=sys.stderr)
        return 2
    try:
        rerank = None if args.no_rerank else _config(args.without, args.set)
    except ValueError as error:
        print(f"qabot: {error}", file=sys.stderr)
        return 2
    index = build_eval_index(documents, BM25Params(args.k1, args.b), rerank)
    outcomes = evaluate(index, questions, args.mode, max(args.k, 5))
    result = metrics(outcomes, args.k)
    if args.misses is not None:
        _write_misses(args.misses, outcomes, documents)
    print(json.dumps(result.to_json()) if args.json else render_metrics(result, args))
    return 0


def _config(without: list[str], settings: list[str]) -> RerankConfig:
    """The default re-ranking with levers switched off (``--without``) or reweighted (``--set``)."""
    from index.ranking.rerank import DEFAULT_RERANK, LEVERS

    values: dict[str, Any] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in (*LEVERS, "depth") or not value:
            raise ValueError(f"--set needs LEVER=WEIGHT with LEVER one of {LEVERS} or depth")
        values[name] = int(value) if name == "depth" else float(value)
    return replace(DEFAULT_RERANK.without(*without), **values)


def render_metrics(result: Metrics, args: argparse.Namespace) -> str:
    """A small table: the run's settings, then the three figures."""
    part = f"{args.part or 'dev'} half" if args.split else "all questions"
    return "\n".join(
        [
            f"mode {args.mode}, {part}, {result.questions:,} questions",
            f"{'P@1':>8}  {f'MRR@{result.k}':>8}  {'R@5':>8}",
            f"{result.p_at_1:8.3f}  {result.mrr:8.3f}  {result.r_at_5:8.3f}",
        ]
    )


def _write_misses(path: Path, outcomes: list[Outcome], documents: list[Document]) -> None:
    from index.service.evaluation import miss_record

    texts = {doc.info.doc_id: doc.text for doc in documents}
    with path.open("w", encoding="utf-8") as sink:
        for outcome in outcomes:
            if outcome.first_hit != 1:
                record = miss_record(outcome, texts.get(outcome.question.article_id, ""))
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")


EVAL = Command("eval", SUMMARY, eval_arguments, run_eval)
