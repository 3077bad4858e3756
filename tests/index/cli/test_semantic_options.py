"""``--semantic`` on the command line: off by default, clear errors, the real model when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.cli.main import main
from tests.conftest import SEED_FILE, SEEDS
from tests.index.semantic.models import minilm_or_skip

SEED_DOC = SEED_FILE.name


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_off_unless_switched_on_by_flag_or_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    index = ["--corpus", str(SEEDS), "--index", str(tmp_path / "i")]
    absent = ["--semantic-model", str(tmp_path / "absent")]
    assert _run(capsys, "stats", *index, *absent)[0] == 0  # off: the model is never looked for
    assert _run(capsys, "stats", "--semantic", *index, *absent)[0] == 2
    monkeypatch.setenv("QABOT_SEMANTIC", "1")
    monkeypatch.setenv("QABOT_SEMANTIC_MODEL", str(tmp_path / "absent"))
    status, _, err = _run(capsys, "stats", *index)
    assert status == 2 and "absent" in err
    assert _run(capsys, "stats", "--no-semantic", *index)[0] == 0
    monkeypatch.setenv("QABOT_SEMANTIC", "maybe")
    status, _, err = _run(capsys, "stats", *index)
    assert status == 2 and "QABOT_SEMANTIC must be 1 or 0" in err


def test_stats_says_when_it_is_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "stats", "--corpus", str(SEEDS), "--index", str(tmp_path / "i"))
    assert status == 0
    assert "semantic: off (--semantic or QABOT_SEMANTIC=1 to switch it on)" in out


def test_a_missing_model_folder_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = ["--corpus", str(SEEDS), "--index", str(tmp_path / "i")]
    model = ["--semantic", "--semantic-model", str(tmp_path / "no-model")]
    status, out, err = _run(capsys, "ask", "What did the Pentagon say?", *index, *model)
    assert status == 2 and out == ""
    assert err.startswith("qabot: ") and ("no-model" in err or "qabot[semantic]" in err)


def test_reindex_embeds_after_bm25_and_stats_and_ask_use_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = ["--semantic", "--semantic-model", str(minilm_or_skip())]
    index = ["--corpus", str(SEEDS), "--index", str(tmp_path / "idx")]
    status, out, _ = _run(capsys, "reindex", *index, *model)
    assert status == 0 and out.startswith("Indexed ")
    assert "Semantic: on (all-MiniLM-L6-v2-int8): 14 of 14 sentences embedded (complete)" in out
    status, out, _ = _run(capsys, "stats", "--json", *index, *model)
    semantic = json.loads(out)["semantic"]
    assert semantic == {"model": "all-MiniLM-L6-v2-int8", "embedded": 14, "sentences": 14}
    # No word in common with the answer: BM25 alone finds nothing in the article.
    question = ["ask", "When did the diplomats chat?", "-k", "1", "--doc", SEED_DOC, *index]
    status, out, _ = _run(capsys, *question, "--no-semantic")
    assert status == 0 and "No good answer" in out
    status, out, _ = _run(capsys, *question, *model)
    # Either talk answers it: the countries' video conference, or Kerry's and Lavrov's call.
    answers = ("1. According to Pentagon officials the two", "1. Secretary of State, John")
    assert status == 0 and out.startswith(answers)
    assert (tmp_path / "models").is_dir()  # the int8 copy, beside the index folder


def test_eval_with_the_semantic_switch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = ["--semantic", "--semantic-model", str(minilm_or_skip())]
    text = "Etna is a volcano in Sicily. Vesuvius destroyed Pompeii in 79."
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a1", "title": "Volcanoes", "text": text}) + "\n")
    start = text.index("Vesuvius")
    gold = {"id": "q", "article_id": "a1", "question": "Which city was ruined by an eruption?"}
    gold["answers"] = [{"text": "Vesuvius", "start": start, "end": start + 8}]  # type: ignore[assignment]
    questions = tmp_path / "questions.jsonl"
    questions.write_text(json.dumps(gold) + "\n")
    files = ["--articles", str(articles), "--questions", str(questions), "--mode", "article"]
    vectors = ["--vectors", str(tmp_path / "vectors")]
    status, out, _ = _run(capsys, "eval", *files, "--json", *model, *vectors)
    assert status == 0 and json.loads(out)["p@1"] == 1.0
    assert (tmp_path / "vectors" / "vectors").is_dir()
