"""The child process of ``tests/test_index_fuzz.py``: damage an index, then use it.

Reads a JSON job on stdin (the pristine corpus and index, a work folder, the
variants) and, for each variant, damages a fresh copy of the index and runs the
bot's operations on it one after another: open and search, add a file and
refresh, remove a file and refresh (each loads the index as it finds it, with
the same checks), stopping once one has found the damage (rebuilt or refused).
Prints one JSON line per variant and operation, flushed before the next starts,
so a crash (a signal) names the variant that caused it. Only ``QabotError`` is
caught: any other exception ends the process with a traceback.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index import QabotError
from index.service.opened_index import OpenedIndex
from index.service.opening import open_index
from index.service.updating import refresh

QUESTIONS = ("What did the Pentagon say?", "zeppelin harbour", "Broncos Super Bowl")


class Warnings(logging.Handler):
    """Collects the warnings qabot logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def damage(index_dir: Path, variant: dict[str, Any]) -> None:
    """Apply one variant: flip, truncate or extend a member; ``crafted`` also makes the
    manifest agree with the damaged bytes (damage no checksum can see)."""
    folder = index_dir / (index_dir / "CURRENT").read_text().strip()
    path = index_dir / "CURRENT" if variant["member"] == "CURRENT" else folder / variant["member"]
    data = bytearray(path.read_bytes())
    if variant["kind"] == "flip":
        data[variant["at"] % len(data)] ^= variant["bit"]
    elif variant["kind"] == "truncate":
        del data[variant["at"] % len(data) :]
    else:
        data += bytes.fromhex(variant["extra"])
    path.write_bytes(bytes(data))
    if variant["crafted"]:
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["files"][variant["member"]] = {"bytes": len(data), "crc32": zlib.crc32(data)}
        (folder / "manifest.json").write_text(json.dumps(manifest))


def answers(opened: OpenedIndex) -> list[list[list[Any]]]:
    """The hits of every question: document, paragraph, sentence and text."""
    return [
        [
            [hit.document.doc_id, hit.sentence.paragraph, hit.sentence.number, hit.sentence.text]
            for hit in opened.searcher.search(question, 3).hits
        ]
        for question in QUESTIONS
    ]


def open_and_search(corpus: Path, index_dir: Path) -> OpenedIndex:
    return open_index(corpus, index_dir)


def add_and_refresh(corpus: Path, index_dir: Path) -> OpenedIndex:
    (corpus / "new.txt").write_text("New\n\nA zeppelin landed in the harbour.\n", encoding="utf-8")
    return refresh(corpus, index_dir)


def remove_and_refresh(corpus: Path, index_dir: Path) -> OpenedIndex:
    (corpus / "b.txt").unlink()
    return refresh(corpus, index_dir)


OPERATIONS: dict[str, Callable[[Path, Path], OpenedIndex]] = {
    "open": open_and_search,
    "add": add_and_refresh,
    "remove": remove_and_refresh,
}


def run_operation(corpus: Path, index_dir: Path, name: str) -> dict[str, Any]:
    """One operation on the copy, its answers (or the ``QabotError``) and the warnings."""
    caught = Warnings()
    logging.getLogger().addHandler(caught)
    try:
        opened = OPERATIONS[name](corpus, index_dir)
        result: dict[str, Any] = {"answers": answers(opened), "rebuilt": opened.rebuilt_because}
    except QabotError as error:
        result = {"error": f"{type(error).__name__}: {error}"}
    finally:
        logging.getLogger().removeHandler(caught)
    return {**result, "warnings": caught.messages}


def run_variant(job: dict[str, Any], number: int) -> None:
    work = Path(job["work"]) / str(number)
    corpus, index_dir = work / "corpus", work / "index"
    shutil.copytree(job["corpus"], corpus)
    shutil.copytree(job["index"], index_dir)
    damage(index_dir, job["variants"][number])
    for name in OPERATIONS:
        print(json.dumps({"variant": number, "operation": name, "started": True}), flush=True)
        outcome = run_operation(corpus, index_dir, name)
        print(json.dumps({"variant": number, "operation": name, **outcome}), flush=True)
        if outcome.get("rebuilt") or "error" in outcome:
            break  # the damage was found: what follows would only use a fresh index
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    job = json.loads(sys.stdin.read())
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    for number in range(len(job["variants"])):
        run_variant(job, number)


if __name__ == "__main__":
    main()
