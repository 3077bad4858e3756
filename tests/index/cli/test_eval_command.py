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


def test_json_output_has_the_figures_and_map(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_args(files, "--json")) == 0
    result = json.loads(capsys.readouterr().out)
    figures = {"p@1": 0.5, "mrr@10": 0.5, "r@5": 0.5, "map": 0.5}
    assert result == {"questions": 2, **figures, "answered": 1.0, "excluded": 0}


def test_table_output_names_mode_and_part(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = _args(files, "--split", str(files["split"]), "--part", "dev", "--mode", "article")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "mode article, dev half, 2 questions" in out
    assert out.splitlines()[-2].split() == ["P@1", "MRR@10", "R@5", "MAP"]
    # Within its own article the second question still ranks the answer, second of two.
    assert out.splitlines()[-1].split() == ["0.500", "0.750", "1.000", "0.750"]


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


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--set", "depth=0"), "--set depth= needs a whole number from 1 to 1000"),
        (("--set", "local=abc"), "--set local= needs a number, not 'abc'"),
        (("--set", "local=nan"), "--set local= needs a number, not 'nan'"),
        (("--k1", "-1"), "--k1 must be a number of at least 0, not -1.0"),
        (("--k1", "nan"), "--k1 must be a number of at least 0, not nan"),
        (("--k1", "inf"), "--k1 must be a number of at least 0, not inf"),
        (("--b", "5"), "--b must be a number from 0 to 1, not 5.0"),
        (("--min-confidence", "2"), "--min-confidence must be from 0 to 1, not 2.0"),
        (("-k", "0"), "-k must be between 1 and 100"),
    ],
)
def test_a_flag_out_of_range_is_one_line_saying_what_is_allowed(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], message: str
) -> None:
    assert main(_args(files, *flags)) == 2
    assert capsys.readouterr().err == f"qabot: {message}\n"


def test_deeply_nested_questions_are_one_line_not_a_traceback(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["questions"].write_text("[" * 100_000 + "]" * 100_000 + "\n")
    assert main(_args(files)) == 2
    err = capsys.readouterr().err
    assert err.startswith("qabot: ") and "nested too deeply" in err and err.count("\n") == 1


def test_min_confidence_reports_the_share_of_questions_shown_a_sentence(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_args(files, "--json", "--mode", "article", "--min-confidence", "1")) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["answered"] < 1.0
    assert main(_args(files, "--mode", "article", "--min-confidence", "1")) == 0
    assert "shown a sentence at --min-confidence" in capsys.readouterr().out


def test_questions_without_a_correct_sentence_are_left_out_and_said(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    unanswerable = {"id": "q3", "article_id": "a1", "question": "Why?", "answers": []}
    with files["questions"].open("a") as sink:
        sink.write(json.dumps(unanswerable) + "\n")
    assert main(_args(files)) == 0
    assert "2 questions (1 without a correct sentence left out)" in capsys.readouterr().out


# Control characters: C0 (ESC, BEL, newline), C1 (CSI), a bidi override, a lone surrogate.
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e", "\ud800")


def test_a_file_name_in_an_error_never_reaches_the_terminal_raw(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    forged = files["dir"] / "q\x1b]0;owned\x07\n.jsonl"
    forged.write_text("{not json\n")  # the error names the file
    args = ["eval", "--articles", str(files["articles"]), "--questions", str(forged)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "q\\x1b]0;owned\\x07\\n.jsonl" in err
    assert err.count("\n") == 1 and not any(char in err for char in UNSAFE)


def test_eval_data_in_the_misses_file_is_escaped_and_reads_back_the_same(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    question = "Which river \x1b[2J\x9b31m\u202e\ud800 flows north?"
    answer = {"text": "Pompeii", "start": 50, "end": 57}
    record = {"id": "q\x07", "article_id": "a1", "question": question, "answers": [answer]}
    files["questions"].write_text(json.dumps(record) + "\n")
    misses = files["dir"] / "misses.jsonl"
    assert main(_args(files, "--misses", str(misses))) == 0
    written = misses.read_text(encoding="utf-8")
    assert not any(char in written for char in UNSAFE)
    (line,) = [json.loads(text) for text in written.splitlines()]
    assert (line["id"], line["question"]) == ("q\x07", question)
    assert not any(char in capsys.readouterr().out for char in UNSAFE)
