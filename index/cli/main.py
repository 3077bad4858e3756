"""``qabot``: a thin command line over the same library API the bot uses.

This is an edge: it alone reads ``QABOT_CORPUS`` and ``QABOT_INDEX`` from the
environment and turns them, with the flags, into explicit arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from index.cli import terminal
from index.cli.eval_command import add_eval_command
from index.cli.web_commands import add_web_commands
from index.errors import InputError, QabotError, QuestionError
from index.ranking.bm25 import BM25Params
from index.ranking.confidence import DEFAULT_MIN_CONFIDENCE
from index.ranking.engines import ENGINES
from index.service.lifecycle import OpenedIndex, open_index, rebuild
from index.service.searcher import MAX_K, MAX_QUESTION_CHARS, Searcher

DEFAULT_CORPUS = "seeds"
DEFAULT_INDEX = ".qabot/index"
Handler = Callable[[argparse.Namespace], int]


class UsageError(InputError):
    """A mistake in the command's arguments: reported in one line with exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The ``qabot`` argument parser; the bot package adds its own subcommands to it."""
    parser = argparse.ArgumentParser(
        prog="qabot", description="Answer questions from articles with cited sentences."
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print no progress or warnings")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ask = _command(commands, "ask", "answer a question (or '-' for one per line on stdin)", _ask)
    ask.add_argument("question", help="the question, or - to read questions from stdin")
    ask.add_argument("-k", type=int, default=5, help=f"how many sentences (1-{MAX_K}, default 5)")
    ask.add_argument("--doc", metavar="DOC_ID", help="search only this document")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument("--engine", choices=ENGINES, default="sparse", help="scoring engine")
    ask.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    ask.add_argument(
        "--min-confidence",
        type=_confidence,
        default=DEFAULT_MIN_CONFIDENCE,
        help=f"withhold sentences below this confidence, 0-1 (default {DEFAULT_MIN_CONFIDENCE})",
    )
    _command(commands, "reindex", "rebuild the index from the corpus", _reindex)
    docs = _command(commands, "docs", "list the indexed documents", _docs)
    docs.add_argument("--json", action="store_true", help="print JSON")
    stats = _command(commands, "stats", "show the index's figures", _stats)
    stats.add_argument("--json", action="store_true", help="print JSON")
    add_eval_command(commands)
    add_web_commands(commands, add_corpus_options)
    return parser


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _command(commands: Any, name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
    sub: argparse.ArgumentParser = commands.add_parser(name, help=help_text, description=help_text)
    add_corpus_options(sub)
    sub.set_defaults(handler=handler)
    return sub


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """``--corpus`` and ``--index``, defaulting to the environment, then to built-ins."""
    corpus = os.environ.get("QABOT_CORPUS") or DEFAULT_CORPUS
    index = os.environ.get("QABOT_INDEX") or DEFAULT_INDEX
    parser.add_argument(
        "--corpus", type=Path, default=Path(corpus), help=f"corpus folder (default {corpus})"
    )
    parser.add_argument(
        "--index", type=Path, default=Path(index), help=f"index folder (default {index})"
    )


def main(argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Run one command; returns the exit status."""
    parser = parser or build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO, format="qabot: %(message)s"
    )
    handler: Handler = args.handler
    try:
        return handler(args)
    except QabotError as error:
        print(f"qabot: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return 130


def opened(args: argparse.Namespace) -> OpenedIndex:
    """The index for the command's corpus, rebuilt first when stale."""
    progress = _progress_printer() if not args.quiet and sys.stderr.isatty() else None
    return open_index(args.corpus, args.index, BM25Params(), progress)


def _ask(args: argparse.Namespace) -> int:
    if not 1 <= args.k <= MAX_K:
        raise UsageError(f"-k must be between 1 and {MAX_K}")
    if args.question == "-":
        return _ask_batch(args, sys.stdin, sys.stdout)
    question = _checked_question(args.question)
    index = opened(args)
    searcher = _searcher(index, args.engine)
    answer = searcher.search(
        question, args.k, doc_id=args.doc, engine=args.engine, min_confidence=args.min_confidence
    )
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
        print(terminal.render_answer(answer, color, index.stats.documents))
    return 0


def _searcher(index: OpenedIndex, engine: str) -> Searcher:
    """The opened index's searcher, or one that also holds the rank-bm25 reference engine."""
    return index.searcher if engine == "sparse" else Searcher(index.index, reference=True)


def _checked_question(question: str) -> str:
    question = question.strip()
    if not question:
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,}"
        )
    return question


def _ask_batch(args: argparse.Namespace, source: TextIO, sink: TextIO) -> int:
    index = _searcher(opened(args), args.engine)
    for line in source:
        if line.strip():
            sink.write(json.dumps(_batch_answer(index, line, args), ensure_ascii=False) + "\n")
    return 0


def _batch_answer(index: Searcher, line: str, args: argparse.Namespace) -> dict[str, Any]:
    request = _batch_request(line)
    question = request.get("question")
    try:
        if not isinstance(question, str):
            raise UsageError('a JSON line needs a "question" string')
        k = request.get("k", args.k)
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise UsageError(f'"k" must be a whole number from 1 to {MAX_K}')
        doc_id = request.get("doc_id", args.doc)
        answer = index.search(
            _checked_question(question),
            k,
            doc_id=doc_id,
            engine=args.engine,
            min_confidence=args.min_confidence,
        )
    except InputError as error:
        return {"question": question, "hits": [], "error": str(error)}
    result: dict[str, Any] = answer.to_json()
    if "id" in request:
        result["id"] = request["id"]
    return result


def _batch_request(line: str) -> dict[str, Any]:
    text = line.strip()
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return {"question": None}
        return parsed if isinstance(parsed, dict) else {"question": None}
    return {"question": text}


def _reindex(args: argparse.Namespace) -> int:
    progress = _progress_printer() if not args.quiet and sys.stderr.isatty() else None
    result = rebuild(args.corpus, args.index, BM25Params(), progress)
    stats = result.stats
    print(
        f"Indexed {stats.documents:,} documents, {stats.sentences:,} sentences, "
        f"{stats.vocabulary:,} terms in {stats.build_seconds:.2f} s; "
        f"skipped {len(stats.skipped):,} file(s)."
    )
    for item in stats.skipped:
        print(f"  skipped {item}")
    return 0


def _docs(args: argparse.Namespace) -> int:
    documents = opened(args).index.documents
    if args.json:
        print(json.dumps([doc.to_json() for doc in documents], ensure_ascii=False, indent=1))
    else:
        print(terminal.render_documents(documents))
    return 0


def _stats(args: argparse.Namespace) -> int:
    stats = opened(args).stats
    if args.json:
        data = {name: getattr(stats, name) for name in stats.__slots__ if name != "skipped"}
        data["skipped"] = [str(item) for item in stats.skipped]
        print(json.dumps(data, indent=1))
    else:
        print(terminal.render_stats(stats))
    return 0


def _progress_printer() -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            end = "\n" if done == total else ""
            print(f"\r{terminal.progress_bar(done, total)}", end=end, file=sys.stderr, flush=True)

    return show


def run(argv: Iterable[str] | None = None) -> None:
    """Console-script entry point."""
    sys.exit(main(list(argv) if argv is not None else None))
