"""Rendering answers, documents and figures for a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from index.articles.dates import display_date
from index.cli.escaping import shown_name, shown_text
from index.ranking.confidence import percent
from index.records import Answer, DocumentInfo, Hit, IndexStats, Span

BOLD, RESET = "\033[1m", "\033[0m"


def highlight(text: str, spans: Sequence[Span], color: bool) -> str:
    """``text`` with each span in bold (ANSI on a terminal, ``**word**`` otherwise)."""
    opening, closing = (BOLD, RESET) if color else ("**", "**")
    text = shown_text(text)
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < cursor:
            continue
        pieces += [text[cursor : span.start], opening, text[span.start : span.end], closing]
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def citation(hit: Hit) -> str:
    """Title · outlet · date · ¶paragraph s sentence · confidence · score."""
    doc = hit.document
    parts = [doc.title, doc.source, display_date(doc.published)]
    parts.append(f"¶{hit.sentence.paragraph} s{hit.sentence.number}")
    parts.append(f"confidence {percent(hit.confidence)}")
    parts.append(f"score {hit.score:.2f}")
    return shown_name(" · ".join(part for part in parts if part))


def render_answer(answer: Answer, color: bool, documents: int) -> str:
    """The human-readable answer: ranked sentences, each with its citation."""
    lines = []
    if answer.corrected_question is not None:
        lines.append(f"Showing results for: {shown_name(answer.corrected_question)}")
    if not answer.hits:
        return "\n".join([*lines, no_answer(answer, documents)])
    for hit in answer.hits:
        lines.append(f"{hit.rank}. {highlight(*hit.shown, color)}")
        lines.append(f"   {citation(hit)}")
        if hit.also_in:
            lines.append(f"   {also_in(hit)}")
    return "\n".join(lines)


ALSO_NAMED = 3


def also_in(hit: Hit) -> str:
    """The other articles quoting the hit's sentence: the first few by title and outlet."""
    named = [
        doc.title + (f" ({doc.source})" if doc.source else "") for doc in hit.also_in[:ALSO_NAMED]
    ]
    more = hit.also_in_count - len(named)
    tail = f" and {more} more" if more else ""
    return shown_name(f"also in: {'; '.join(named)}{tail}")


def no_answer(answer: Answer, documents: int) -> str:
    """The honest reply when nothing matches."""
    articles = f"{documents} indexed article{'s' if documents != 1 else ''}"
    if not answer.terms:
        return f"No good answer: the question has no words to search for in the {articles}."
    if answer.withheld:
        weak = f"{answer.withheld} weak match{'es' if answer.withheld != 1 else ''}"
        return (
            f"No good answer in the {articles} ({weak} withheld: low confidence; "
            "--min-confidence 0 shows them)."
        )
    return f"No good answer: nothing in the {articles} matches this question."


def render_documents(documents: Sequence[DocumentInfo]) -> str:
    """One line per document: id, title, outlet, date."""
    lines = []
    for doc in documents:
        extra = " · ".join(p for p in (doc.source, display_date(doc.published)) if p)
        line = f"{doc.doc_id}  {doc.title}" + (f"  ({extra})" if extra else "")
        lines.append(shown_name(line))
    lines.append(f"{len(documents)} document{'s' if len(documents) != 1 else ''}")
    return "\n".join(lines)


def render_stats(stats: IndexStats) -> str:
    """The index's figures, one per line."""
    rows = [
        ("documents", f"{stats.documents:,}"),
        ("sentences", f"{stats.sentences:,}"),
        ("vocabulary", f"{stats.vocabulary:,} terms"),
        ("postings", f"{stats.postings:,}"),
        ("skipped files", f"{len(stats.skipped):,}"),
        ("built", f"{stats.built_at} in {stats.build_seconds:.2f} s"),
        ("index size", f"{stats.size_bytes / 1024:,.1f} KiB"),
        ("corpus", shown_name(stats.corpus)),
        ("BM25", f"k1={stats.k1} b={stats.b}"),
    ]
    return "\n".join(f"{name:>13}: {value}" for name, value in rows)
