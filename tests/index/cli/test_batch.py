"""``qabot ask -``: one result per input line, in order, whatever the line holds."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from index.cli.batch import MAX_LINE_BYTES
from index.cli.main import main
from index.service.searcher import Searcher
from tests.conftest import FIXTURE_CORPUS

PENTAGON = b"What did the Pentagon say?"


@pytest.fixture
def batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Any:
    def run(*lines: bytes) -> list[dict[str, Any]]:
        data = b"\n".join(lines) + b"\n"
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
        args = ["ask", "-", "-k", "1", "--corpus", str(FIXTURE_CORPUS)]
        status = main([*args, "--index", str(tmp_path / "idx")])
        out, err = capsys.readouterr()
        assert status == 0 and "Traceback" not in err
        out.encode("utf-8")  # printable: nothing left that UTF-8 cannot carry
        return [json.loads(line) for line in out.splitlines()]

    return run


def test_every_bad_line_gets_its_own_result_and_the_rest_go_on(batch: Any) -> None:
    lines = [
        PENTAGON,
        b"",
        b"{broken",
        b"[" * 100_000 + b"]" * 100_000,
        b"{" + b'"a":' * 1 + b"[" * 100_000 + b"]" * 100_000 + b"}",
        json.dumps({"question": "Kirby", "doc_id": ["a", "b"]}).encode(),
        json.dumps({"question": "Kirby", "doc_id": {"x": 1}}).encode(),
        json.dumps({"question": "Kirby", "k": "3"}).encode(),
        json.dumps({"question": "Kirby", "k": True}).encode(),
        b'{"question": 5}',
        b"caf\xe9 latin-1 bytes",
        json.dumps({"question": "lone \ud800 surrogate", "id": "s"}).encode(),
        PENTAGON,
    ]
    results = batch(*lines)
    assert len(results) == len(lines)
    assert results[0]["hits"] and results[-1]["hits"] == results[0]["hits"]
    errors = [result.get("error", "") for result in results[1:-2]]
    assert all(not result["hits"] for result in results[1:-2]) and all(errors), "\n".join(errors)
    assert errors[0] == "the question is empty" and results[1]["question"] == ""
    assert errors[1].startswith("not valid JSON") and "200,000 characters" in errors[2]
    assert errors[3] == "not valid JSON (nested too deeply)"
    assert '"doc_id"' in errors[4] and '"doc_id"' in errors[5]
    assert '"k"' in errors[6] and '"k"' in errors[7]
    assert errors[8] == 'a JSON line needs a "question" string'
    assert errors[9].startswith("not UTF-8") and results[10]["question"] is None
    assert results[11]["id"] == "s" and "error" not in results[11]
    assert results[11]["question"] == "lone \ud800 surrogate"


def test_a_huge_line_is_refused_without_being_echoed(batch: Any) -> None:
    huge = b"x" * (3 * MAX_LINE_BYTES)
    long_question = b"y" * 5_000
    results = batch(huge, long_question, PENTAGON)
    assert len(results) == 3
    assert results[0]["error"] == f"the line is {len(huge):,} bytes; the limit is 1,048,576"
    assert results[0]["question"] is None
    assert "5,000 characters" in results[1]["error"] and len(results[1]["question"]) == 1_001
    assert results[2]["hits"]


def test_ids_are_echoed_when_they_are_strings_or_numbers(batch: Any) -> None:
    lines = [json.dumps({"question": "Pentagon", "id": value}).encode() for value in (7, "q", [1])]
    results = batch(*lines)
    assert [result.get("id") for result in results] == [7, "q", None]


def test_a_byte_order_mark_and_windows_line_ends_are_fine(batch: Any) -> None:
    results = batch(b"\xef\xbb\xbf" + PENTAGON + b"\r", PENTAGON + b"\r")
    assert len(results) == 2 and results[0]["hits"] == results[1]["hits"] != []


def test_the_reference_engine_is_made_once_per_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """rank-bm25 re-analyses every sentence when it is made: once, not per line."""
    made: list[bool] = []
    original = Searcher.__init__

    def counting(self: Searcher, *args: Any, **kwargs: Any) -> None:
        made.append(bool(kwargs.get("reference")))
        original(self, *args, **kwargs)

    monkeypatch.setattr(Searcher, "__init__", counting)
    data = b"\n".join([PENTAGON] * 3) + b"\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    args = ["ask", "-", "--engine", "rank-bm25", "--corpus", str(FIXTURE_CORPUS)]
    assert main([*args, "--index", str(tmp_path / "idx")]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(results) == 3 and results[0]["hits"] == results[2]["hits"] != []
    assert made.count(True) == 1
