"""The quality harness on tiny synthetic articles made in tmp_path."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from index.errors import EvaluationDataError
from index.records import Span
from index.service.evaluation import (
    GoldQuestion,
    Outcome,
    build_eval_index,
    correct_sentences,
    evaluate,
    metrics,
    miss_record,
    read_articles,
    read_questions,
    read_split,
)

ARTICLES: list[dict[str, object]] = [
    {
        "id": "a1",
        "title": "Volcanoes",
        "text": "Etna is a volcano in Sicily. It erupted in 2021.\n\n"
        "Vesuvius destroyed Pompeii. Pompeii was a Roman town.",
    },
    {
        "id": "a2",
        "title": "Rivers",
        "text": "The Nile flows north. The Amazon carries the most water.",
    },
]


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _question(qid: str, article: str, question: str, answer: str) -> dict[str, object]:
    text = next(str(a["text"]) for a in ARTICLES if a["id"] == article)
    start = text.index(answer)
    return {
        "id": qid,
        "article_id": article,
        "question": question,
        "answers": [{"text": answer, "start": start, "end": start + len(answer)}],
    }


@pytest.fixture
def data(tmp_path: Path) -> tuple[Path, Path]:
    articles = _write_jsonl(tmp_path / "articles.jsonl", list(ARTICLES))
    questions = _write_jsonl(
        tmp_path / "questions.jsonl",
        [
            _question("q1", "a1", "Which town did Vesuvius destroy?", "Pompeii"),
            _question("q2", "a1", "Where is the volcano Etna?", "Sicily"),
            _question("q3", "a2", "Which river carries the most water?", "Amazon"),
        ],
    )
    return articles, questions


def test_reads_articles_and_questions_with_their_answer_spans(data: tuple[Path, Path]) -> None:
    articles, questions = data
    documents = read_articles(articles)
    gold = read_questions(questions)
    assert [d.info.doc_id for d in documents] == ["a1", "a2"]
    text = documents[0].text
    assert [text[s.start : s.end] for s in gold[1].answers] == ["Sicily"]


def test_every_synthetic_question_finds_its_sentence_first(data: tuple[Path, Path]) -> None:
    articles, questions = data
    index = build_eval_index(read_articles(articles))
    outcomes = evaluate(index, read_questions(questions), "open")
    assert [o.first_hit for o in outcomes] == [1, 1, 1]
    assert metrics(outcomes).p_at_1 == 1.0


def test_article_mode_only_returns_the_questions_own_article(data: tuple[Path, Path]) -> None:
    articles, _ = data
    index = build_eval_index(read_articles(articles))
    gold = GoldQuestion("q", "a2", "What flows?", (Span(4, 8),))
    outcome = evaluate(index, [gold], "article")[0]
    assert outcome.first_hit == 1
    assert outcome.top_text == "The Nile flows north."


def test_article_mode_ranks_every_sentence_of_the_article(data: tuple[Path, Path]) -> None:
    articles, _ = data
    index = build_eval_index(read_articles(articles))
    text = str(ARTICLES[0]["text"])
    start = text.index("It erupted")
    # "Which island?" shares no word with any sentence; in article mode every sentence
    # still gets a rank, so MAP sees every correct sentence (open mode finds none).
    gold = GoldQuestion("q", "a1", "Which island?", (Span(text.index("Sicily"), start),))
    outcome = evaluate(index, [gold], "article")[0]
    assert outcome.relevant == 1 and len(outcome.hit_ranks) == 1
    assert evaluate(index, [gold], "open")[0].hit_ranks == ()


def test_a_threshold_withholds_weak_sentences_as_ask_does(data: tuple[Path, Path]) -> None:
    articles, questions = data
    index = build_eval_index(read_articles(articles))
    gold = read_questions(questions)
    shown = metrics(evaluate(index, gold, "article"))
    strict = metrics(evaluate(index, gold, "article", min_confidence=1.0))
    assert shown.answered == 1.0
    assert strict.answered < 1.0 and strict.mean_ap < shown.mean_ap


def test_a_question_about_an_article_the_index_lacks_counts_as_excluded(
    data: tuple[Path, Path],
) -> None:
    articles, _ = data
    index = build_eval_index(read_articles(articles))
    gold = GoldQuestion("q", "nowhere", "Which river?", (Span(0, 3),))
    (outcome,) = evaluate(index, [gold], "article")
    assert (outcome.relevant, outcome.hit_ranks, outcome.top_text) == (0, (), None)


def test_a_sentence_of_another_article_is_never_a_hit(data: tuple[Path, Path]) -> None:
    articles, _ = data
    index = build_eval_index(read_articles(articles))
    # The span points at "Nile" but the question claims article a1: no sentence of a1 covers it.
    gold = GoldQuestion("q", "a1", "Which river flows north?", (Span(4, 8),))
    assert evaluate(index, [gold], "open")[0].first_hit is None


def test_metrics_count_ranks_as_defined() -> None:
    gold = GoldQuestion("q", "a", "?", ())
    ranks = [1, 2, 5, 11, None]
    outcomes = [Outcome(gold, () if rank is None else (rank,), 1, "x") for rank in ranks]
    result = metrics(outcomes, k=10)
    assert result.p_at_1 == pytest.approx(1 / 5)
    assert result.mrr == pytest.approx((1 + 1 / 2 + 1 / 5) / 5)
    assert result.r_at_5 == pytest.approx(3 / 5)
    assert result.mean_ap == pytest.approx((1 + 1 / 2 + 1 / 5 + 1 / 11) / 5)


def test_average_precision_counts_every_correct_sentence_and_the_ones_never_ranked() -> None:
    gold = GoldQuestion("q", "a", "?", ())
    # Correct sentences at ranks 1 and 3, a third one never ranked: (1/1 + 2/3 + 0) / 3.
    assert Outcome(gold, (1, 3), 3, "x").average_precision == pytest.approx((1 + 2 / 3) / 3)
    assert Outcome(gold, (2,), 1, "x").average_precision == pytest.approx(1 / 2)


def test_questions_without_a_correct_sentence_are_left_out_and_counted() -> None:
    gold = GoldQuestion("q", "a", "?", ())
    outcomes = [Outcome(gold, (1,), 1, "x"), Outcome(gold, (), 0, "y"), Outcome(gold, (), 2, None)]
    result = metrics(outcomes)
    assert (result.questions, result.excluded) == (2, 1)
    assert result.p_at_1 == result.mean_ap == result.answered == pytest.approx(1 / 2)
    assert result.to_json()["excluded"] == 1


def test_metrics_of_no_questions_are_zero() -> None:
    assert metrics([]).questions == 0


def test_split_parts_are_read_and_a_missing_part_is_an_error(tmp_path: Path) -> None:
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"dev": ["a1"], "test": ["a2"]}), encoding="utf-8")
    assert read_split(split, "test") == frozenset({"a2"})
    split.write_text(json.dumps({"dev": ["a1"]}), encoding="utf-8")
    with pytest.raises(EvaluationDataError, match="test"):
        read_split(split, "test")


def test_malformed_question_names_its_line(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "q.jsonl", [{"id": "x", "question": "no article"}])
    with pytest.raises(EvaluationDataError, match=r"q\.jsonl:1"):
        read_questions(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"not json", "not valid JSON"),
        (b'{"id": "\xff"}', "not UTF-8"),
    ],
)
def test_an_unreadable_question_line_is_named_not_a_traceback(
    tmp_path: Path, line: bytes, message: str
) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes(line + b"\n")
    with pytest.raises(EvaluationDataError, match=rf"q\.jsonl:1: {message}"):
        read_questions(path)


def test_deeply_nested_articles_and_split_are_errors_not_tracebacks(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(EvaluationDataError, match="nested too deeply"):
        read_articles(deep)
    with pytest.raises(EvaluationDataError, match="nested too deeply"):
        read_split(deep, "dev")


def test_bad_article_line_is_an_error_not_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "Fine."}\nnot json\n', encoding="utf-8")
    with pytest.raises(EvaluationDataError, match=r"line|:2"):
        read_articles(path)


def test_miss_record_quotes_the_gold_answers() -> None:
    gold = GoldQuestion("q", "a", "Where?", (Span(0, 4), Span(0, 4)))
    record = miss_record(Outcome(gold, (), 1, "Wrong sentence."), "Etna is here.")
    assert record["answers"] == ["Etna"]
    assert record["top"] == "Wrong sentence."
    assert record["first_hit"] is None


def test_the_correct_sentences_are_those_covering_an_answers_start(
    data: tuple[Path, Path],
) -> None:
    articles, _ = data
    index = build_eval_index(read_articles(articles))
    text = str(ARTICLES[1]["text"])
    gold = GoldQuestion(
        "q", "a2", "Which river?", (Span(text.index("Nile"), text.index("Nile") + 4),)
    )
    (correct,) = correct_sentences(index, gold)
    assert index.index.table.text(correct) == "The Nile flows north."
    assert evaluate(index, [gold], "article")[0].relevant == 1
    assert correct_sentences(index, replace(gold, article_id="nowhere")) == frozenset()
