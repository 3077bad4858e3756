from __future__ import annotations

import io
import json
import logging
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from index.cli.main import main
from index.jit import kernels_interpreted
from tests.conftest import FIXTURE_CORPUS, write

Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Runner:
    def invoke(*args: str, corpus: Path = FIXTURE_CORPUS) -> tuple[int, str, str]:
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
    text = (FIXTURE_CORPUS / hit["doc_id"]).read_text(encoding="utf-8")
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
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    status, out, _ = run("ask", "-", "-k", "2")
    assert status == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == 4
    assert len(results[0]["hits"]) == 2
    assert results[1]["id"] == "q2" and len(results[1]["hits"]) == 1
    assert "error" in results[2] and "error" in results[3]


def test_one_question_over_a_small_index_runs_the_kernels_interpreted(run: Runner) -> None:
    """Importing numba would take longer than the whole answer (index.jit)."""
    status, out, _ = run("ask", "What did the Pentagon say?", "-k", "1")
    assert status == 0 and "**Pentagon**" in out
    assert kernels_interpreted()


def test_one_question_over_a_larger_index_runs_the_kernels_compiled(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.cli.main.INTERPRETED_UP_TO", 0)  # every index is larger
    status, out, _ = run("ask", "What did the Pentagon say?", "-k", "1")
    assert status == 0 and "**Pentagon**" in out
    assert not kernels_interpreted()


def test_a_batch_of_questions_runs_the_kernels_compiled(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"What did the Pentagon say?")))
    status, out, _ = run("ask", "-", "-k", "1")
    assert status == 0 and json.loads(out)["hits"]
    assert not kernels_interpreted()


def test_reindex_docs_and_stats(run: Runner, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus, "a.txt", FIXTURE_CORPUS.joinpath("000_7ababf70601c1a86.txt").read_text())
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


def test_a_damaged_sentence_text_is_rebuilt_not_a_traceback(
    run: Runner, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A flipped byte in ``texts.bin`` of an index too large to checksum at load (here:
    one whose manifest was made to agree) shows when a sentence is quoted."""
    status, expected, _ = run("ask", "What did the Pentagon say?", "--json")
    folder = tmp_path / "idx" / (tmp_path / "idx" / "CURRENT").read_text()
    texts = bytearray((folder / "texts.bin").read_bytes())
    texts[5] = 0xFF
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["texts.bin"]["crc32"] = zlib.crc32(bytes(texts))
    (folder / "texts.bin").write_bytes(bytes(texts))
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with caplog.at_level(logging.WARNING):
        status, out, err = run("ask", "What did the Pentagon say?", "--json")
    assert status == 0 and out == expected
    assert "Traceback" not in err
    assert any(
        "damaged" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records
    )


def test_hard_wrapped_markdown_reads_as_one_line_and_keeps_exact_offsets(
    run: Runner, tmp_path: Path
) -> None:
    article = (
        "# Community garden\n\nThe garden has 40 **raised** **beds**,\n"
        "which residents share with the school.\nIt opened in May.\n"
    )
    corpus = tmp_path / "garden"
    write(corpus, "garden.md", article)
    status, out, _ = run("ask", "Which residents share the raised beds?", "-k", "1", corpus=corpus)
    assert status == 0
    first, citation = out.splitlines()[:2]
    assert ", which **residents** **share** with the school." in first
    assert citation.startswith("   Community garden")
    status, out, _ = run("ask", "raised beds residents", "--json", "-k", "1", corpus=corpus)
    hit = json.loads(out)["hits"][0]
    assert "\n" in hit["text"] and article[hit["start"] : hit["end"]] == hit["text"]


def test_control_sequences_in_articles_and_names_never_reach_the_terminal(
    run: Runner, tmp_path: Path
) -> None:
    corpus = tmp_path / "hostile"
    write(corpus, "evil\n2. forged.txt", "Title\x1b]0;pwned\x07\n\nThe \x1b[2J zeppelin landed.")
    write(corpus, "ok.txt", "Calm\n\nA calm zeppelin story.")
    write(corpus, "bad\x1b[31m.txt", b"\x00binary")
    status, out, err = run("docs", corpus=corpus)
    assert status == 0 and "\x1b" not in out + err and "\x07" not in out
    assert out.splitlines()[0].startswith("evil\\n2. forged.txt  Title\\x1b]0;pwned\\x07")
    assert len(out.splitlines()) == 3  # two documents and the count: no forged line
    status, out, err = run("ask", "zeppelin", "--color", "never", corpus=corpus)
    assert status == 0 and "\x1b" not in out + err and "The \ufffd[2J **zeppelin** landed." in out
    status, out, _ = run("reindex", corpus=corpus)
    assert "\x1b" not in out and "bad\\x1b[31m.txt" in out
