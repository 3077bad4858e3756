"""Two processes on one index: one rebuilds, the other answers from each new generation.

The reader never restarts and never reads half an index: it follows ``CURRENT``
(``index.IndexFollower``), and every answer it gives comes whole from one
complete generation, while the writer saves and deletes generations under it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import write

READER = """
import json, sys
from pathlib import Path
from index import IndexFollower

follower = IndexFollower(Path(sys.argv[1]))

def ask(question):
    opened = follower.current()
    hits = opened.searcher.search(question, 3, min_confidence=0.0).hits
    return {"generation": follower.generation, "top": hits[0].sentence.text if hits else None,
            "documents": opened.stats.documents}

for line in sys.stdin:
    command, count, question = line.rstrip("\\n").split(" ", 2)
    answers = [ask(question) for _ in range(int(count))]
    print(json.dumps(answers), flush=True)
"""
WRITER = """
import sys
from pathlib import Path
from index import rebuild

corpus, index_dir = Path(sys.argv[1]), Path(sys.argv[2])
for line in sys.stdin:
    rebuild(corpus, index_dir)
    print((index_dir / "CURRENT").read_text(), flush=True)
"""
ZEPPELIN = "The zeppelin landed at Lakehurst in May."


@contextmanager
def _process(script: str, *args: Path) -> Iterator[subprocess.Popen[str]]:
    command = [sys.executable, "-c", script, *map(str, args)]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            yield process
        finally:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=120)


def _send(process: subprocess.Popen[str], line: str) -> None:
    assert process.stdin is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()


def _reply(process: subprocess.Popen[str]) -> Any:
    assert process.stdout is not None
    return json.loads(process.stdout.readline())


def _generation(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return process.stdout.readline().strip()


def test_a_reader_answers_from_each_generation_the_writer_saves(tmp_path: Path) -> None:
    # Not "index": the child processes run "python -c" here, and a folder named "index" in
    # their working folder would stand for the package.
    corpus, index_dir = tmp_path / "corpus", tmp_path / "shared-index"
    write(corpus, "a.md", "# Harbour\n\nThe ferry terminal opened in the harbour.")
    with _process(WRITER, corpus, index_dir) as writer:
        _send(writer, "rebuild")
        first = _generation(writer)
        with _process(READER, index_dir) as reader:
            _send(reader, "ask 1 where did the zeppelin land")
            assert _reply(reader) == [{"generation": first, "top": None, "documents": 1}]
            write(corpus, "b.md", f"# Airship\n\n{ZEPPELIN}")
            _send(writer, "rebuild")
            second = _generation(writer)
            _send(reader, "ask 1 where did the zeppelin land")
            assert _reply(reader) == [{"generation": second, "top": ZEPPELIN, "documents": 2}]
            # Rebuilds under a reader asking all the while: each answer whole, from one
            # complete generation (three documents with the storm article, else two).
            _send(reader, "ask 300 where did the zeppelin land")
            made = {second}
            for number in range(4):
                storm = corpus / "c.md"
                if number % 2 == 0:
                    write(corpus, "c.md", "# Storm\n\nA storm closed the airport.")
                else:
                    storm.unlink()
                _send(writer, "rebuild")
                made.add(_generation(writer))
            answers = _reply(reader)
    assert len(answers) == 300
    assert {answer["generation"] for answer in answers} <= made
    assert all(answer["top"] == ZEPPELIN for answer in answers)
    assert all(answer["documents"] in (2, 3) for answer in answers)
