"""``qabot eval``: the quality harness on the command line (see docs/quality.md).

Evaluation data comes from outside (SQuAD, TrecQA, a user's own files): its file
names, question texts and quoted sentences go through ``index.cli.escaping`` like
every other command's output, on the terminal and in the misses file, so no
control character in them reaches a terminal raw.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.cli.commands import Command
from index.cli.escaping import json_text, shown_name
from index.cli.semantic_options import (
    SEMANTIC_MODEL,
    embedder,
    fill_with_progress,
    is_on,
    semantic_argument,
)
from index.cli.settings import LoadedSettings
from index.errors import EvaluationDataError, SettingsError

if TYPE_CHECKING:
    from index.ranking.bm25 import BM25Params
    from index.ranking.rerank import Mixed, RerankConfig
    from index.records import Document
    from index.service.evaluation import GoldQuestion, Metrics, Outcome
    from index.service.searcher import Searcher

SUMMARY = "measure answer quality (P@1, MRR@k, R@5, MAP) on gold questions"
MAX_DEPTH = 1_000


@dataclass(frozen=True, slots=True)
class EvalRun:
    """What one ``qabot eval`` run measures, validated: the BM25 parameters, the
    re-ranking (``None``: plain BM25), further scorers mixed into it, and the threshold."""

    params: BM25Params
    rerank: RerankConfig | None
    mixed: tuple[Mixed, ...] = ()
    min_confidence: float = 0.0


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
    sub.add_argument(
        "--mode",
        choices=MODES,
        default="open",
        help="open: rank every article's sentences; article: only the question's own "
        "(answer-sentence sets such as TrecQA and WikiQA)",
    )
    sub.add_argument("-k", type=int, default=10, help="ranks counted by MRR (1-100, default 10)")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.add_argument("--misses", type=Path, help="write questions with a wrong top sentence here")
    sub.add_argument("--k1", type=float, default=DEFAULT_K1, help=f"BM25 k1 (default {DEFAULT_K1})")
    sub.add_argument("--b", type=float, default=DEFAULT_B, help=f"BM25 b 0-1 (default {DEFAULT_B})")
    sub.add_argument("--no-rerank", action="store_true", help="plain BM25 order")
    sub.add_argument(
        "--without", action="append", choices=LEVERS, default=[], help="switch a lever off"
    )
    sub.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="LEVER=WEIGHT",
        help=f"set a lever's weight ({', '.join(LEVERS)}) or depth (1-{MAX_DEPTH})",
    )
    sub.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        help="withhold sentences below this confidence, 0-1, as 'qabot ask' does "
        "(default 0: every sentence is ranked)",
    )
    semantic_argument(sub)
    sub.add_argument(
        "--vectors", type=Path, help="keep the sentence embeddings here (a re-run skips them)"
    )


def run_eval(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    """Build the index in memory, ask every selected question, print the figures."""
    from index.service.evaluation import build_eval_index, evaluate, metrics

    run = eval_run(args)
    try:
        documents, questions = _read(args)
    except (OSError, ValueError, EvaluationDataError) as error:
        print(f"qabot: {shown_name(str(error))}", file=sys.stderr)
        return 2
    index = build_eval_index(documents, run.params, run.rerank, run.mixed)
    if is_on(args, loaded):
        _switch_semantic_on(index, args, loaded)
    outcomes = evaluate(index, questions, args.mode, max(args.k, 5), run.min_confidence)
    result = metrics(outcomes, args.k)
    if args.misses is not None:
        _write_misses(args.misses, outcomes, documents)
    print(json_text(result.to_json()) if args.json else render_metrics(result, args))
    return 0


def _switch_semantic_on(index: Searcher, args: argparse.Namespace, loaded: LoadedSettings) -> None:
    """Embed every sentence (kept in ``--vectors`` when given, so a re-run skips it)."""
    from index.service.embedding import SentenceEmbedding

    models = (args.vectors or Path(".qabot")) / "models"
    embedding = SentenceEmbedding(index.index, args.vectors, embedder(loaded, models))
    embedding.attach(index)
    fill_with_progress(embedding, args.quiet)


def eval_run(args: argparse.Namespace) -> EvalRun:
    """The run the flags ask for; a flag out of range is a :class:`SettingsError` that
    says what is allowed."""
    from index.ranking.bm25 import BM25Params

    if not 1 <= args.k <= 100:
        raise SettingsError("-k must be between 1 and 100")
    if not (math.isfinite(args.k1) and args.k1 >= 0):
        raise SettingsError(f"--k1 must be a number of at least 0, not {args.k1}")
    if not 0 <= args.b <= 1:
        raise SettingsError(f"--b must be a number from 0 to 1, not {args.b}")
    if not 0 <= args.min_confidence <= 1:
        raise SettingsError(f"--min-confidence must be from 0 to 1, not {args.min_confidence}")
    rerank = None if args.no_rerank else rerank_config(args.without, args.set)
    return EvalRun(BM25Params(args.k1, args.b), rerank, min_confidence=args.min_confidence)


def rerank_config(without: list[str], settings: list[str]) -> RerankConfig:
    """The default re-ranking with levers switched off (``--without``) or reweighted (``--set``)."""
    from index.ranking.rerank import DEFAULT_RERANK, LEVERS

    values: dict[str, Any] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in (*LEVERS, "depth") or not value:
            raise SettingsError(
                f"--set needs LEVER=WEIGHT with LEVER one of {', '.join(LEVERS)} or depth"
            )
        values[name] = _depth(value) if name == "depth" else _weight(name, value)
    return replace(DEFAULT_RERANK.without(*without), **values)


def _depth(value: str) -> int:
    try:
        depth = int(value)
    except ValueError:
        depth = 0
    if not 1 <= depth <= MAX_DEPTH:
        raise SettingsError(f"--set depth= needs a whole number from 1 to {MAX_DEPTH}")
    return depth


def _weight(name: str, value: str) -> float:
    try:
        weight = float(value)
    except ValueError:
        weight = math.nan
    if not math.isfinite(weight):
        raise SettingsError(f"--set {name}= needs a number, not {value!r}")
    return weight


def _read(args: argparse.Namespace) -> tuple[list[Document], list[GoldQuestion]]:
    from index.service.evaluation import read_articles, read_questions, read_split

    documents = read_articles(args.articles)
    questions = read_questions(args.questions)
    if args.split is not None:
        part = read_split(args.split, args.part or "dev")
        questions = [q for q in questions if q.article_id in part]
    return documents, questions


def render_metrics(result: Metrics, args: argparse.Namespace) -> str:
    """A small table: the run's settings, then the four figures."""
    part = f"{args.part or 'dev'} half" if args.split else "all questions"
    lines = [f"mode {args.mode}, {part}, {result.questions:,} questions"]
    if result.excluded:
        lines[0] += f" ({result.excluded:,} without a correct sentence left out)"
    if result.answered < 1:
        lines.append(f"{result.answered:.1%} shown a sentence at --min-confidence")
    lines += [
        f"{'P@1':>8}  {f'MRR@{result.k}':>8}  {'R@5':>8}  {'MAP':>8}",
        f"{result.p_at_1:8.3f}  {result.mrr:8.3f}  {result.r_at_5:8.3f}  {result.mean_ap:8.3f}",
    ]
    return "\n".join(lines)


def _write_misses(path: Path, outcomes: list[Outcome], documents: list[Document]) -> None:
    from index.service.evaluation import miss_record

    texts = {doc.info.doc_id: doc.text for doc in documents}
    with path.open("w", encoding="utf-8") as sink:
        for outcome in outcomes:
            if outcome.relevant and outcome.first_hit != 1:
                record = miss_record(outcome, texts.get(outcome.question.article_id, ""))
                sink.write(json_text(record) + "\n")


EVAL = Command("eval", SUMMARY, eval_arguments, run_eval, (SEMANTIC_MODEL,))
