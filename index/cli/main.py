"""The index commands of ``qabot``: ask, reindex, docs and stats, over the library API.

Each command is a :class:`~index.cli.commands.Command`; the bot package adds
``run`` and ``sync`` and composes them all (``bot.cli``). Settings reach the
handlers already loaded (flags, environment, ``.env``: :mod:`index.cli.settings`).
Heavy modules are imported inside the handlers, so listing the commands stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from index import jit
from index.cli import commands, terminal
from index.cli.batch import answer_lines
from index.cli.commands import Command, UsageError
from index.cli.escaping import json_text, shown_name
from index.cli.eval_command import EVAL
from index.cli.progress import build_progress
from index.cli.semantic_options import (
    SEMANTIC_MODEL,
    SEMANTIC_SETTINGS,
    describe,
    fill_with_progress,
    semantic_argument,
    switch_on,
)
from index.cli.settings import CORPUS, INDEX, SETTINGS, LoadedSettings
from index.cli.web_commands import ALLOW_LOOPBACK, WEB_COMMANDS
from index.errors import CorpusError, QuestionError
from index.ranking.confidence import DEFAULT_MIN_CONFIDENCE

# The largest index whose one question ``qabot ask`` answers with interpreted kernels
# (index.jit): up to there even a long question answers interpreted in a fraction of
# what importing numba takes (``python -m bench.interpreted_kernels``).
INTERPRETED_UP_TO = 100_000

if TYPE_CHECKING:
    from index.records import Answer
    from index.service.opened_index import OpenedIndex
    from index.service.searcher import Searcher


def _ask_arguments(parser: argparse.ArgumentParser) -> None:
    from index.ranking.engines import ENGINES
    from index.service.searcher import MAX_K

    parser.add_argument("question", help="the question, or - to read questions from stdin")
    parser.add_argument(
        "-k", type=int, default=5, help=f"how many sentences (1-{MAX_K}, default 5)"
    )
    parser.add_argument("--doc", metavar="DOC_ID", help="search only this document")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--engine", choices=ENGINES, default="sparse", help="scoring engine")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="bold highlights: on a terminal (auto), always, or never (**word** markers)",
    )
    parser.add_argument(
        "--min-confidence",
        type=_confidence,
        default=DEFAULT_MIN_CONFIDENCE,
        help="withhold sentences below this confidence, 0-1 "
        f"(default {DEFAULT_MIN_CONFIDENCE}; 0 shows every match)",
    )
    semantic_argument(parser)


def _json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def corpus_hint(error: object, loaded: LoadedSettings) -> str:
    """A corpus error naming the setting to change (the library knows only the folder)."""
    origin = loaded.origin(CORPUS)
    return (
        f"{error}; set the corpus folder with --corpus or QABOT_CORPUS (this one is from {origin})"
    )


@contextmanager
def _user_errors(loaded: LoadedSettings) -> Iterator[None]:
    """A corpus error, naming the setting to change."""
    try:
        yield
    except CorpusError as error:
        raise CorpusError(corpus_hint(error, loaded)) from None


def opened(args: argparse.Namespace, loaded: LoadedSettings, warm: bool = False) -> OpenedIndex:
    """The index for the configured corpus, rebuilt first when stale.

    No warm-up by default: one command answers at most one question, so loading the
    spelling lists and every kernel up front would only delay it. A batch (``warm``)
    loads them first, so no question of it waits for a kernel to load.
    """
    from index.service.opening import open_index

    with _user_errors(loaded), build_progress(not args.quiet) as progress:
        return open_index(_corpus(loaded), loaded.path(INDEX), progress=progress, warm=warm)


def _corpus(loaded: LoadedSettings) -> Path:
    """The corpus folder, which must exist (said before any "building the index" line)."""
    corpus = loaded.path(CORPUS)
    if not corpus.exists():
        raise UsageError(corpus_hint(f"corpus folder {corpus} does not exist", loaded))
    return corpus


def _ask(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from index.service.searcher import MAX_K

    if not 1 <= args.k <= MAX_K:
        raise UsageError(f"-k must be between 1 and {MAX_K}")
    if args.question == "-":
        asker = _Asker(args, loaded, opened(args, loaded, warm=True))
        answer_lines(sys.stdin.buffer, sys.stdout, asker.ask, args.k, args.doc)
        return 0
    question = _checked_question(args.question)
    index = opened(args, loaded)
    if index.stats.sentences <= INTERPRETED_UP_TO:
        jit.interpret_kernels()  # one answer over a small index: quicker than importing numba
    asker = _Asker(args, loaded, index)
    answer = asker.ask(question, args.k, args.doc)
    if args.json:
        print(json_text(answer.to_json()))
    else:
        color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
        print(terminal.render_answer(answer, color, asker.index.stats.documents))
    return 0


class _Asker:
    """Questions against the opened index; should a sentence it quotes turn out damaged
    (an index too large to checksum at load), the index is rebuilt once and asked again."""

    def __init__(self, args: argparse.Namespace, loaded: LoadedSettings, index: OpenedIndex):
        self.args, self.loaded, self.index = args, loaded, index
        switch_on(args, loaded, index.searcher, loaded.path(INDEX))
        # Made once: the rank-bm25 reference re-analyses every sentence (seconds at 100k).
        self.searcher = _searcher(index, args.engine)

    def ask(self, question: str, k: int, doc_id: str | None) -> Answer:
        from index.errors import IndexCorruptError

        question = _checked_question(question)
        try:
            return self._search(question, k, doc_id)
        except IndexCorruptError as error:
            from index.service.rebuilding import recover  # the build machinery: only now

            self.index = recover(_corpus(self.loaded), self.loaded.path(INDEX), error)
            switch_on(self.args, self.loaded, self.index.searcher, self.loaded.path(INDEX))
            self.searcher = _searcher(self.index, self.args.engine)
            return self._search(question, k, doc_id)

    def _search(self, question: str, k: int, doc_id: str | None) -> Answer:
        return self.searcher.search(
            question,
            k,
            doc_id=doc_id,
            engine=self.args.engine,
            min_confidence=self.args.min_confidence,
        )


def _searcher(index: OpenedIndex, engine: str) -> Searcher:
    """The opened index's searcher, or one that also holds the rank-bm25 reference engine."""
    from index.service.searcher import Searcher

    return index.searcher if engine == "sparse" else Searcher(index.index, reference=True)


def _checked_question(question: str) -> str:
    from index.service.searcher import MAX_QUESTION_CHARS

    question = question.strip()
    if not question:
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,}"
        )
    return question


def _reindex(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from index.service.rebuilding import rebuild

    with _user_errors(loaded), build_progress(not args.quiet) as progress:
        result = rebuild(_corpus(loaded), loaded.path(INDEX), progress=progress)
    stats = result.stats
    print(
        f"Indexed {stats.documents:,} documents, {stats.sentences:,} sentences, "
        f"{stats.vocabulary:,} terms in {stats.build_seconds:.2f} s; "
        f"skipped {len(stats.skipped):,} file(s)."
    )
    for item in stats.skipped:
        print(f"  skipped {shown_name(str(item))}")
    embedding = switch_on(args, loaded, result.searcher, loaded.path(INDEX))
    if embedding is not None:  # BM25 already answers; an interrupted run resumes from chunks
        fill_with_progress(embedding, args.quiet)
        print(f"Semantic: {describe(embedding.progress)}")
    return 0


def _docs(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    documents = opened(args, loaded).index.documents
    if args.json:
        print(json_text([doc.to_json() for doc in documents], indent=1))
    else:
        print(terminal.render_documents(documents))
    return 0


def _stats_arguments(parser: argparse.ArgumentParser) -> None:
    _json_argument(parser)
    semantic_argument(parser)


def _stats(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    index = opened(args, loaded)
    stats = index.stats
    embedding = switch_on(args, loaded, index.searcher, loaded.path(INDEX))
    progress = embedding.progress if embedding is not None else None
    if args.json:
        data = {name: getattr(stats, name) for name in stats.__slots__ if name != "skipped"}
        data["skipped"] = [str(item) for item in stats.skipped]
        data["semantic"] = None if progress is None else progress.to_json()
        print(json.dumps(data, indent=1))
    else:
        print(terminal.render_stats(stats))
        print(f"{'semantic':>13}: {describe(progress)}")
    return 0


PATHS = (CORPUS, INDEX)
SEMANTIC_PATHS = (*PATHS, SEMANTIC_MODEL)
COMMANDS = (
    Command(
        "ask",
        "answer a question (or '-' for one per line on stdin)",
        _ask_arguments,
        _ask,
        SEMANTIC_PATHS,
    ),
    Command(
        "reindex", "rebuild the index from the corpus", semantic_argument, _reindex, SEMANTIC_PATHS
    ),
    Command("docs", "list the indexed documents", _json_argument, _docs, PATHS),
    Command("stats", "show the index's figures", _stats_arguments, _stats, SEMANTIC_PATHS),
    EVAL,
    *WEB_COMMANDS,
)
"""The index commands, in the order ``qabot --help`` lists them."""
INDEX_SETTINGS = (*SETTINGS, ALLOW_LOOPBACK, *SEMANTIC_SETTINGS)
"""Every setting the index commands read."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one index command (no ``run``/``sync``: ``bot.cli`` adds those); the exit status."""
    return commands.main(argv, COMMANDS, INDEX_SETTINGS)


def run(argv: Iterable[str] | None = None) -> None:
    """Entry point of ``python -m index``."""
    commands.exit_with(main(list(argv) if argv is not None else None))
