"""Rendering: hits to embeds, escaping, truncation and Discord's limits."""

from __future__ import annotations

import dataclasses

from bot.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    MESSAGE_LIMIT,
    NOTHING_FOUND,
    TITLE_LIMIT,
    answer_embed,
    bold_escaped,
    build_summary,
    citation,
    clip,
    context_embed,
    document_line,
    documents_embed,
    escape,
    excerpt,
    nothing_found,
    quote,
    safe_url,
    stats_embed,
)
from index.records import DocumentInfo, IndexStats, Sentence, Skipped, Span
from tests.bot_fakes import make_answer, make_hit


def test_escape_neutralises_mentions_markdown_and_masked_links() -> None:
    text = "@everyone look **here** <@123456789012345678> [click](https://evil.example)"
    escaped = escape(text)
    assert "@everyone" not in escaped and "@\u200beveryone" in escaped
    assert "**here**" not in escaped and "\\*\\*here\\*\\*" in escaped
    assert "<@123456789012345678>" not in escaped
    assert "[click]" not in escaped and "\\[click\\]" in escaped


def test_escape_puts_the_text_on_one_line() -> None:
    assert escape("one\n\n  two\tthree") == "one two three"


def test_clip_adds_an_ellipsis_only_when_cutting() -> None:
    assert clip("short", 10) == "short"
    assert clip("a" * 20, 10) == "a" * 9 + "…"
    assert len(clip("a" * 20, 10)) == 10


def test_excerpt_keeps_the_first_highlight_and_moves_spans() -> None:
    text = "x" * 500 + " needle " + "y" * 500
    start = text.index("needle")
    shown, spans = excerpt(text, [Span(start, start + 6)], 100)
    assert shown.startswith("…") and shown.endswith("…")
    assert [shown[s.start : s.end] for s in spans] == ["needle"]


def test_bold_escaped_bolds_matched_words_and_escapes_the_rest() -> None:
    text = "The *Pentagon* said"
    rendered = bold_escaped(text, [Span(5, 13)])
    assert rendered == "The \\***Pentagon**\\* said"


def test_quote_of_a_4000_character_sentence_fits_its_budget() -> None:
    text = ("word_with_underscores and *stars* " * 130)[:4000]
    rendered = quote(text, [Span(0, 4)], 500)
    assert len(rendered) <= 500
    assert rendered.endswith("…")


def test_citation_links_the_title_when_the_url_is_safe() -> None:
    hit = make_hit(
        "A sentence.", url="https://news.example/a", source="Wire", published="2015-10-10"
    )
    line = citation(hit)
    assert "[A title](https://news.example/a)" in line
    assert "Wire" in line and "10 Oct 2015" in line and "¶2 s3" in line and "score 1.50" in line


def test_citation_counts_the_other_articles_quoting_the_sentence() -> None:
    one, two = DocumentInfo("b", "B"), DocumentInfo("c", "C")
    assert citation(make_hit("A sentence.")).endswith("score 1.50")
    assert citation(dataclasses.replace(make_hit("A sentence."), also_in=(one,))).endswith(
        "score 1.50 · also in 1 other article"
    )
    assert citation(dataclasses.replace(make_hit("A sentence."), also_in=(one, two))).endswith(
        "also in 2 other articles"
    )
    many = dataclasses.replace(make_hit("A sentence."), also_in=(one, two), also_in_count=88)
    assert citation(many).endswith("also in 88 other articles")


def test_citation_without_a_safe_url_has_no_link() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://a.example/x) [y](z") is None
    assert "](" not in citation(make_hit("A sentence.", url="https://x.example/a b"))


def test_answer_embed_quotes_each_hit_with_its_citation() -> None:
    hits = (
        make_hit("The Pentagon said so.", ("Pentagon",), rank=1),
        make_hit("Cook said it too.", ("Cook",), rank=2),
    )
    embed = answer_embed(make_answer(*hits, question="who said?"), 3, 1, 0.012)
    assert embed.title == "who said?"
    assert "**1.** The **Pentagon** said so." in (embed.description or "")
    assert "**2.** **Cook** said it too." in (embed.description or "")
    assert embed.footer.text == "page 1 · 3 articles searched · 12 ms"


def test_answer_embed_of_ten_huge_hits_stays_within_every_limit() -> None:
    text = "@everyone " + "*x* " * 1000
    hits = [make_hit(text, ("x",), rank=i, title="T" * 300) for i in range(1, 11)]
    embed = answer_embed(make_answer(*hits, question="q" * 400), 1, 1, 0.0)
    assert len(embed.description or "") <= DESCRIPTION_LIMIT
    assert len(embed.title or "") <= TITLE_LIMIT
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert "@everyone" not in (embed.description or "")
    assert (embed.description or "").count("**10.**") == 1


def test_nothing_found_offers_suggestions_when_given() -> None:
    text = nothing_found(make_answer(suggestions=("pentagon", "russia")))
    assert text.startswith(NOTHING_FOUND)
    assert "Did you mean: **pentagon**, **russia**?" in text


def test_nothing_found_names_unknown_words_without_suggestions() -> None:
    text = nothing_found(make_answer(unknown_terms=("pentagn",)))
    assert "pentagn" in text and len(text) <= MESSAGE_LIMIT


def test_nothing_found_explains_a_question_without_words() -> None:
    assert "no words" in nothing_found(make_answer(terms=()))


def test_context_embed_bolds_the_focus_sentence() -> None:
    focus = make_hit("Middle one.")
    before = Sentence("doc-1", 2, 2, 0, 0, "Before it.")
    middle = focus.sentence
    embed = context_embed([before, middle], focus)
    assert embed.description == "Before it. **Middle one.**"
    assert "*" not in (embed.footer.text or "")


def test_documents_embed_pages_the_list() -> None:
    docs = [DocumentInfo(f"d{i}", f"Title {i}") for i in range(25)]
    embed = documents_embed(docs, 2, 10)
    assert embed.title == "Documents (25)"
    assert "`d20`" in (embed.description or "") and "`d19`" not in (embed.description or "")
    assert embed.footer.text == "page 3 of 3"


def test_document_line_escapes_the_title_and_the_id() -> None:
    line = document_line(DocumentInfo("a`b", "@here *now*", source="Wire"))
    assert "@here" not in line and "`a'b`" in line and "Wire" in line


def test_stats_embed_and_build_summary_report_the_figures() -> None:
    stats = IndexStats(3, 40, 100, 200, "2026-01-01T00:00:00", 1.5, 4096, "/c", 1.2, 0.75,
                       (Skipped("bad.txt", "empty file"),))  # fmt: skip
    embed = stats_embed(stats, "shared corpus", building=True)
    values = {field.name: field.value for field in embed.fields}
    assert values["Documents"] == "3" and values["Rebuilding now"] == "yes"
    assert values["Index size"] == "4.0 KiB" and values["Corpus folder"] == "/c"
    assert "Semantic re-ranking" not in values
    line = "semantic re-ranking on (all-MiniLM-L6-v2-int8): 10 of 40 sentences embedded"
    with_semantic = stats_embed(stats, "shared corpus", building=False, semantic=line)
    assert {f.name: f.value for f in with_semantic.fields}["Semantic re-ranking"] == line
    summary = build_summary(stats)
    assert summary.startswith("Indexed 3 documents, 40 sentences in 1.50 s; skipped 1 file.")
    assert "bad.txt: empty file" in summary


def test_nothing_found_prefers_the_words_as_typed() -> None:
    answer = make_answer(unknown_terms=("pentagn",), unknown_words=("Pentagn*",))
    text = nothing_found(answer)
    assert "these words: Pentagn\\*." in text


def test_long_links_give_way_so_that_every_hit_is_shown() -> None:
    url = "https://news.example/" + "a" * 270
    hits = [make_hit("@here " + "*y* " * 1000, ("y",), rank=i, url=url, title="T" * 300)
            for i in range(1, 11)]  # fmt: skip
    embed = answer_embed(make_answer(*hits), 1, 1, 0.0)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert (embed.description or "").count("**10.**") == 1
    assert str(embed.footer.text).startswith("page 1")


def test_a_corrected_question_is_shown_above_the_answer() -> None:
    answer = dataclasses.replace(
        make_answer(make_hit("The Pentagon said.", ("Pentagon",))),
        question="what did the pentgon say",
        corrected_question="what did the pentagon say",
    )
    description = answer_embed(answer, 1, 1, 0.01).description or ""
    assert description.startswith("Showing results for: *what did the pentagon say*")


def test_hard_wrapped_sentences_are_shown_on_one_line() -> None:
    hit = make_hit("The garden has 40 raised beds,\nwhich residents share.", ("beds", "residents"))
    embed = answer_embed(make_answer(hit), 1, 0, 0.01)
    assert "beds**, which **residents" in (embed.description or "")
    before = Sentence("doc-1", 2, 2, 0, 0, "Before\nit.")
    assert context_embed([before, hit.sentence], hit).description == (
        "Before it. **The garden has 40 raised beds, which residents share.**"
    )
