"""How long adding or removing one article takes in a big index: ``python -m bench.update DIR``.

``DIR`` is a bench size folder (``bench/out/1000000``). Its index is copied
to ``DIR/update-index`` and one new article (25 sentences from the same
generator) is added, then removed again, through ``index.service``. Two times
each: from the call until the update can answer (``ready``: the bot swaps it
in then), and until it is saved as the new generation and loaded back.

With ``--file``, the same through the corpus folder instead, as ``qabot reindex``
after an edit or the bot after an upload: a copy of the corpus folder gets one more
file (the article as Markdown), ``refresh`` indexes it, the file is changed and
``refresh`` reindexes it, then it is deleted and ``refresh`` drops it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

from index import (
    Document,
    OpenedIndex,
    add_documents,
    read_articles,
    refresh,
    remove_documents,
    warm_up,
)


def one_article(corpus: Path, scratch: Path) -> Document:
    """The corpus's first article under a new id (written to ``scratch`` to be read back)."""
    with (corpus / "articles.jsonl").open("rb") as handle:
        record = json.loads(handle.readline())
    record["id"] = "bench-update-article"
    scratch.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return read_articles(scratch)[0]


def file_rounds(workdir: Path, rounds: int) -> None:
    """Add, change and delete one file of the bench's corpus, refreshing its index after
    each step (the corpus and index end as they began)."""
    corpus, target = workdir / "corpus", workdir / "index"
    refresh(corpus, target)  # current before timing
    os.sync()
    ready: list[float] = []
    extra = corpus / "extra.md"
    try:
        for round_number in range(rounds):
            times = {}
            for step, body in (("add", "Added"), ("change", "Changed"), ("delete", None)):
                if body is None:
                    extra.unlink()
                else:
                    text = f"# Lighthouse {round_number}\n\n{body} lighthouse text.\n"
                    extra.write_text(text, encoding="utf-8")
                started = time.perf_counter()
                refresh(corpus, target, ready=lambda _: ready.append(time.perf_counter()))
                times[f"{step}_ready_s"] = round(ready[-1] - started, 3)
                times[f"{step}_saved_s"] = round(time.perf_counter() - started, 3)
            load = [round(x, 2) for x in os.getloadavg()]
            print(json.dumps({"round": round_number, "load": load, **times}), flush=True)
    finally:
        if extra.exists():
            extra.unlink()
            refresh(corpus, target)


def main() -> None:
    """Copy the index, add one article, remove it, print the times as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--file", action="store_true", help="through a changed corpus file")
    args = parser.parse_args()
    warm_up()
    if args.file:
        file_rounds(args.workdir, args.rounds)
        return
    target = args.workdir / "update-index"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(args.workdir / "index", target)
    os.sync()  # the copy's writeback must not be charged to the first update's fsync
    article = one_article(args.workdir / "corpus", args.workdir / "update-article.jsonl")
    ready: list[float] = []

    def note(opened: OpenedIndex) -> None:
        ready.append(time.perf_counter())

    for round_number in range(args.rounds):
        started = time.perf_counter()
        added = add_documents(target, [article], ready=note)
        add_s, add_ready_s = time.perf_counter() - started, ready[-1] - started
        found = added.searcher.search("bench-update-article", 1)  # any search: it is usable
        started = time.perf_counter()
        removed = remove_documents(target, [article.info.doc_id], ready=note)
        remove_s, remove_ready_s = time.perf_counter() - started, ready[-1] - started
        print(json.dumps({
            "round": round_number,
            "sentences": removed.stats.sentences,
            "added_sentences": added.stats.sentences - removed.stats.sentences,
            "add_ready_s": round(add_ready_s, 3),
            "add_saved_s": round(add_s, 3),
            "remove_ready_s": round(remove_ready_s, 3),
            "remove_saved_s": round(remove_s, 3),
            "searchable": found is not None,
        }))  # fmt: skip
    shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    main()
