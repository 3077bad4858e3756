"""Fuzzing the index files: whatever the bytes, a correct answer or a rebuild, never a crash.

Every member of a small saved index (each ``.npy``, ``texts.bin``, the JSON
members, ``manifest.json`` and ``CURRENT``) gets a seeded, bounded set of
variants: bytes flipped, the file cut short, bytes appended. For each, a child
process (``tests/fuzz_child.py``) opens and searches the damaged index, then adds
a file and refreshes, then removes a file and refreshes, as ``qabot ask`` and the
bot do. The child must never die of a signal nor raise anything but a
``QabotError``, and

- plain damage (the manifest unchanged) must give exactly the answers of the
  undamaged index, after a rebuild announced by a warning when the damage was
  found (or a rebuild for staleness when it hit the manifest's fingerprint);
- *crafted* damage (the manifest made to agree with the damaged bytes, as in a
  generation too large to checksum at load, or a hostile one) may answer
  differently, but must still never crash: this is what the structural checks
  at load guarantee before any compiled kernel reads an array.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from index.service.opening import open_index
from index.service.updating import refresh
from tests.conftest import FIXTURE_ARTICLE, ROOT, write
from tests.fuzz_child import OPERATIONS, answers

STALE = {
    None,
    "the corpus changed since the last build",
    "the corpus folder changed",
    "the BM25 parameters changed",
    "the text analyzer changed",
}
PLAIN = 4
CRAFTED = 2


def _variants(folder: Path, rng: random.Random) -> list[dict[str, Any]]:
    members = [*sorted(path.name for path in folder.iterdir()), "CURRENT"]
    variants = []
    for member in members:
        bulk = member.endswith((".npy", ".bin"))
        for crafted in (False, True) if bulk else (False,):
            count = CRAFTED if crafted else PLAIN
            for n in range(count):
                kind = ("flip", "flip", "truncate", "extend")[n % 4]
                variants.append(
                    {
                        "member": member,
                        "crafted": crafted,
                        "kind": kind,
                        "at": rng.randrange(1 << 30),
                        "bit": 1 << rng.randrange(8),
                        "extra": rng.randbytes(rng.randint(1, 64)).hex(),
                    }
                )
    # The damage that once crashed ``refresh`` (issue 13): a sentence id's high byte.
    variants.append(
        {"member": "sentence_ids.npy", "crafted": True, "kind": "flip", "at": -1, "bit": 0x40}
    )
    return variants


def _expected(corpus: Path, tmp_path: Path) -> dict[str, list[Any]]:
    """Each operation's answers on an undamaged copy, in the same order."""
    work = tmp_path / "expected"
    shutil.copytree(corpus, work / "corpus")
    open_index(work / "corpus", work / "index")
    return {
        name: answers(operation(work / "corpus", work / "index"))
        for name, operation in OPERATIONS.items()
    }


def _check(line: dict[str, Any], variant: dict[str, Any], expected: list[Any]) -> None:
    where = f"{variant['member']} {variant['kind']} crafted={variant['crafted']}"
    if variant["crafted"]:
        return  # any answer, or a QabotError (a rebuild by the caller), but no crash
    assert "error" not in line, f"{where}: {line['error']}"
    assert line["answers"] == expected, f"{where}: wrong answers after {line['rebuilt']!r}"
    if line["rebuilt"] not in STALE:
        assert line["warnings"], f"{where}: rebuilt ({line['rebuilt']}) without a warning"


@pytest.mark.slow
def test_damaged_index_files_never_crash_and_answer_correctly_or_rebuild(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "a.txt", FIXTURE_ARTICLE.read_text(encoding="utf-8"))
    write(corpus, "b.txt", "Sports\n\nThe Broncos won the Super Bowl. Fans cheered loudly.\n")
    index_dir = tmp_path / "index"
    refresh(corpus, index_dir)
    folder = index_dir / (index_dir / "CURRENT").read_text()
    variants = _variants(folder, random.Random(13))
    expected = _expected(corpus, tmp_path)
    job = {"corpus": str(corpus), "index": str(index_dir), "work": str(tmp_path / "work")}
    job["variants"] = variants  # type: ignore[assignment]
    child = subprocess.run(
        [sys.executable, "-m", "tests.fuzz_child"],
        input=json.dumps(job),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [json.loads(line) for line in child.stdout.splitlines()]
    last = lines[-1] if lines else {}
    assert child.returncode >= 0, f"killed by signal {-child.returncode} at {last}"
    assert child.returncode == 0, f"failed at {last}:\n{child.stderr[-3000:]}"
    finished = [line for line in lines if "started" not in line]
    assert {line["variant"] for line in finished} == set(range(len(variants)))
    for line in finished:
        variant = variants[line["variant"]]
        _check(line, variant, expected[line["operation"]])
