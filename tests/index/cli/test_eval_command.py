"""``qabot eval`` end to end on synthetic files, through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.cli.main import main


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    text = "Etna is a volcano in Sicily. Vesuvius destroyed Pompeii."
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a1", "title": "Volcanoes", "text": text}) + "\n")
    other = "The Nile flows north. The Amazon carries the most water."
    with articles.open("a") as sink:
        sink.write(json.dumps({"id": "a2", "title": "Rivers", "text": other}) + "\n")
    start = text.index("Pompeii")
    question = {
        "id": "q1",
        "article_id": "a1",
        "question": "What did Vesuvius destroy?",
        "answers": [{"text": "Pompeii", "start": start, "end": start + 7}],
    }
    wrong = dict(question, id="q2", question="Which river flows north?")
    questions = tmp_path / "questions.jsonl"
    questions.write_text(json.dumps(question) + "\n" + json.dumps(wrong) + "\n")
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"dev": ["a1"], "test": ["a2"]}))
    return {"articles": articles, "questions": questions, "split": split, "dir": tmp_path}


def _args(files: dict[str, Path], *extra: str) -> list[str]:
    paths = ["--articles", str(files["articles"]), "--questions", str(files["questions"])]
    return ["eval", *paths, *extra]


def test_json_output_has_the_three_figures(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_args(files, "--json")) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"questions": 2, "p@1": 0.5, "mrr@10": 0.5, "r@5": 0.5}


def test_table_output_names_mode_and_part(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = _args(files, "--split", str(files["split"]), "--part", "dev", "--mode", "article")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "mode article, dev half, 2 questions" in out
    assert out.splitlines()[-1].split() == ["0.500", "0.500", "0.500"]


def test_misses_file_lists_only_wrong_top_sentences(files: dict[str, Path]) -> None:
    misses = files["dir"] / "misses.jsonl"
    assert main(_args(files, "--misses", str(misses), "--json")) == 0
    lines = [json.loads(line) for line in misses.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["q2"]
    assert lines[0]["answers"] == ["Pompeii"]


def test_missing_file_is_a_clear_error(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["eval", "--articles", str(files["dir"] / "nope.jsonl"), "--questions", "x"]
    assert main(args) == 2
    assert "nope.jsonl" in capsys.readouterr().err


def test_levers_can_be_switched_off_and_plain_bm25_still_runs(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_args(files, "--json", "--without", "local", "--without", "article")) == 0
    assert main(_args(files, "--json", "--no-rerank", "--k1", "0.9", "--b", "0.4")) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert json.loads(first)["questions"] == json.loads(second)["questions"] == 2


def test_set_reweights_a_lever_and_rejects_unknown_names(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_args(files, "--json", "--set", "title=0.3", "--set", "depth=20")) == 0
    assert json.loads(capsys.readouterr().out)["questions"] == 2
    assert main(_args(files, "--set", "magic=1")) == 2
    assert "LEVER=WEIGHT" in capsys.readouterr().err
