from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from index.cli.main import main
from tests.conftest import SEEDS, write

Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Runner:
    def invoke(*args: str, corpus: Path = SEEDS) -> tuple[int, str, str]:
        status = main([*args, "--corpus", str(corpus), "--index", str(tmp_path / "idx")])
        out, err = capsys.readouterr()
        return status, out, err

    return invoke


def test_ask_prints_ranked_cited_sentences(run: Runner) -> None:
    status, out, _ = run("ask", "What did the Pentagon say?", "-k", "2")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("1. Russia has agreed") and "**Pentagon**" in lines[0]
    assert (
        lines[1].strip().startswith("Russia to resume talks on air safety in Syria · Metrovaartha")
    )
    assert "10 Oct 2015 · ¶1 s1 · confidence " in lines[1] and "% · score " in lines[1]
    assert lines[2].startswith("2. ")


def test_ask_json_has_the_documented_fields(run: Runner) -> None:
    status, out, _ = run("ask", "What did the US allege?", "--json", "-k", "1")
    assert status == 0
    data = json.loads(out)
    assert data["question"] == "What did the US allege?"
    (hit,) = data["hits"]
    keys = {"rank", "score", "text", "doc_id", "title", "source", "published", "paragraph"}
    assert keys | {"sentence", "start", "end", "matched"} <= set(hit)
    text = (SEEDS / hit["doc_id"]).read_text(encoding="utf-8")
    assert text[hit["start"] : hit["end"]] == hit["text"]
    assert hit["matched"] == ["US", "alleged"]


def test_no_answer_is_said_plainly_with_exit_zero(run: Runner) -> None:
    status, out, _ = run("ask", "What is the capital of France?")
    assert status == 0
    assert out.startswith("No good answer")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "   "), "empty"),
        (("ask", "x" * 5000), "limit"),
        (("ask", "Pentagon", "-k", "0"), "-k"),
        (("ask", "Pentagon", "--doc", "nope"), "no document"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(
    run: Runner, args: tuple[str, ...], message: str
) -> None:
    status, _, err = run(*args)
    assert status == 2
    assert message in err
    assert "Traceback" not in err


def test_a_missing_corpus_names_the_setting_and_the_absolute_path(
    run: Runner, tmp_path: Path
) -> None:
    status, _, err = run("ask", "Pentagon", corpus=Path("missing"))
    assert status == 2
    assert f"corpus folder {tmp_path / 'missing'} does not exist" in err
    assert "--corpus or QABOT_CORPUS (this one is from --corpus)" in err
    assert "building" not in err and len(err.splitlines()) == 1


def test_a_corpus_path_that_is_a_file_exits_2(run: Runner, tmp_path: Path) -> None:
    status, _, err = run("reindex", corpus=write(tmp_path, "file.txt", "not a folder"))
    assert status == 2
    assert "is not a folder" in err and "QABOT_CORPUS" in err


def test_batch_mode_answers_each_line_in_order(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        "What did the Pentagon say?",
        json.dumps({"question": "Who did John Kerry speak with?", "k": 1, "id": "q2"}),
        "{broken",
        json.dumps({"question": "Kirby", "doc_id": "missing"}),
        "",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines)))
    status, out, _ = run("ask", "-", "-k", "2")
    assert status == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == 4
    assert len(results[0]["hits"]) == 2
    assert results[1]["id"] == "q2" and len(results[1]["hits"]) == 1
    assert "error" in results[2] and "error" in results[3]


def test_reindex_docs_and_stats(run: Runner, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus, "a.txt", SEEDS.joinpath("000_7ababf70601c1a86.txt").read_text())
    write(corpus, "bad.txt", b"\x00bin")
    status, out, _ = run("reindex", corpus=corpus)
    assert status == 0
    assert "Indexed 1 documents, 14 sentences" in out and "bad.txt" in out
    status, out, _ = run("docs", corpus=corpus)
    assert "a.txt  Russia to resume talks on air safety in Syria" in out
    status, out, _ = run("stats", "--json", corpus=corpus)
    stats = json.loads(out)
    assert (stats["documents"], stats["sentences"]) == (1, 14)
    assert stats["skipped"] == ["bad.txt: binary file (contains NUL bytes)"]
