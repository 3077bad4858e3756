"""Answers, context and index figures as Discord embeds and messages: pure functions.

Article text is escaped (markdown, mentions, masked links) so it cannot spoof
formatting or ping anyone, and everything is shortened to fit Discord's limits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import discord
from discord import app_commands
from discord.utils import escape_markdown, escape_mentions

from index import Answer, DocumentInfo, Hit, IndexStats, Sentence, Skipped, Span, display_date

MESSAGE_LIMIT = 2000
# Discord's own limits (characters), from its API documentation.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FOOTER_LIMIT = 2048
FIELD_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
CHOICE_NAME_LIMIT = 100
MAX_CHOICES = 25

# How much room each part of a reply gets: a long title, outlet or word list is cut
# so that the sentences themselves, the point of an answer, keep the most room.
CITED_TITLE = 120  # an article title in a citation
CITED_SOURCE = 60  # an outlet in a citation
LISTED_TITLE = 150  # an article title in /index list
LISTED_EXTRA = 80  # outlet and date in /index list, and a document id
SHOWN_TITLE = 80  # an article title in an add/remove report
SHOWN_WORD = 40  # an unknown word named in "nothing found"
SHOWN_SKIP = 200  # one skipped file's reason
SHOWN_CORRECTION = 300  # the corrected question in "showing results for"
MAX_NAMED_WORDS = 10
MAX_SUGGESTIONS = 5
MAX_LISTED = 10  # skipped files named in a build summary
MAX_TITLES = 5  # titles named in an add/remove report
LINKLESS_BELOW = 100  # quote room under which a citation drops its link to make room
HIT_FRAME = 12  # "**10.** " and the line break around each quoted hit
MIN_QUOTE = 40  # the least room a quote gets, however long its citation
DESCRIPTION_SPARE = 100  # kept free in a description for joins and notes
TITLE_SPARE = 10  # kept free in a title for escaping added after clipping
CONTEXT_FRAME = 10  # bold markers and spacing around each context sentence
CORPUS_SHOWN = 1000  # the corpus folder in /index status (a field)
ELLIPSIS = "…"
ANSWER_COLOUR = discord.Colour.blurple()
NOTHING_FOUND = "I found nothing in the indexed articles about that."
_SPACES = re.compile(r"\s+")
# A link longer than this is cited as plain text rather than crowd out the quotes.
_SAFE_URL = re.compile(r"^https?://[^\s()<>\[\]]{1,300}$")


def escape(text: str) -> str:
    """``text`` with markdown, masked links and mentions neutralised, on one line."""
    flat = _SPACES.sub(" ", text)
    escaped = escape_mentions(escape_markdown(flat))
    return escaped.replace("[", "\\[").replace("]", "\\]")


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def excerpt(text: str, spans: Sequence[Span], limit: int) -> tuple[str, tuple[Span, ...]]:
    """At most ``limit`` characters of ``text`` around its first highlight, spans moved."""
    if len(text) <= limit:
        return text, tuple(spans)
    first = min((span.start for span in spans), default=0)
    start = max(0, min(first - limit // 4, len(text) - limit))
    end = start + limit
    lead, tail = (ELLIPSIS if start > 0 else ""), (ELLIPSIS if end < len(text) else "")
    shift = len(lead) - start
    kept = tuple(
        Span(span.start + shift, span.end + shift)
        for span in spans
        if span.start >= start and span.end <= end
    )
    return lead + text[start:end] + tail, kept


def bold_escaped(text: str, spans: Sequence[Span]) -> str:
    """``text`` escaped, with each span's words in bold."""
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < cursor:
            continue
        pieces += [escape(text[cursor : span.start]), f"**{escape(text[span.start : span.end])}**"]
        cursor = span.end
    pieces.append(escape(text[cursor:]))
    return "".join(pieces)


def quote(text: str, spans: Sequence[Span], budget: int) -> str:
    """The sentence, escaped and highlighted, in at most ``budget`` characters."""
    limit = budget
    while limit > 0:
        shown, kept = excerpt(text, spans, limit)
        rendered = bold_escaped(shown, kept)
        if len(rendered) <= budget:
            return rendered
        limit = min(limit - 1, limit * budget // len(rendered))
    return ELLIPSIS


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) link that cannot break a markdown link."""
    return url if url and _SAFE_URL.match(url) else None


def citation(hit: Hit, link: bool = True) -> str:
    """Title (linked when the article has a URL) · outlet · date · ¶p sN · score."""
    doc = hit.document
    title = escape(clip(doc.title, CITED_TITLE))
    url = safe_url(doc.url) if link else None
    parts = [f"[{title}]({url})" if url else f"*{title}*"]
    parts += [escape(clip(doc.source, CITED_SOURCE)) if doc.source else ""]
    parts += [display_date(doc.published) or ""]
    parts += [f"¶{hit.sentence.paragraph} s{hit.sentence.number}", f"score {hit.score:.2f}"]
    parts += [also_in(hit.also_in_count)]
    return "— " + " · ".join(part for part in parts if part)


def also_in(count: int) -> str:
    """How many other articles quote the same sentence ("" for none)."""
    return f"also in {count} other article{'s' if count != 1 else ''}" if count else ""


def hit_block(hit: Hit, budget: int) -> str:
    """One ranked hit: its number, the quoted sentence and the citation line."""
    cite = citation(hit)
    if budget - len(cite) < LINKLESS_BELOW:
        cite = citation(hit, link=False)
    room = max(budget - len(cite) - HIT_FRAME, MIN_QUOTE)
    return f"**{hit.rank}.** {quote(*hit.shown, room)}\n{cite}"


def answer_embed(answer: Answer, documents: int, page: int, seconds: float) -> discord.Embed:
    """The cited answer: one block per hit, all within the embed limits."""
    note = correction_note(answer)
    room = DESCRIPTION_LIMIT - DESCRIPTION_SPARE - len(note)
    budget = room // max(len(answer.hits), 1)
    blocks: list[str] = []
    for hit in answer.hits:
        block = hit_block(hit, budget)
        if sum(len(b) + 2 for b in blocks) + len(block) > room:
            break
        blocks.append(block)
    embed = discord.Embed(
        title=clip(escape(answer.question), TITLE_LIMIT - TITLE_SPARE),
        description=note + "\n\n".join(blocks),
        colour=ANSWER_COLOUR,
    )
    footer = f"page {page} · {_plural(documents, 'article')} searched · {seconds * 1000:.0f} ms"
    if len(blocks) < len(answer.hits):
        footer = f"{len(blocks)} of {len(answer.hits)} shown (Discord's size limit) · {footer}"
    return embed.set_footer(text=footer)


def correction_note(answer: Answer) -> str:
    """ "Showing results for ..." when the index answered a corrected question, else ""."""
    if answer.corrected_question is None:
        return ""
    return f"Showing results for: *{clip(escape(answer.corrected_question), SHOWN_CORRECTION)}*\n\n"


def nothing_found(answer: Answer) -> str:
    """The honest reply when nothing matches, with the answer's "did you mean" suggestions
    or else the question's words (as typed) that no article uses."""
    lines = [NOTHING_FOUND]
    unknown = list(answer.unknown_words) or list(answer.unknown_terms)
    if answer.suggestions:
        offered = ", ".join(f"**{escape(s)}**" for s in answer.suggestions[:MAX_SUGGESTIONS])
        lines.append(f"Did you mean: {offered}?")
    elif unknown:
        named = ", ".join(escape(clip(word, SHOWN_WORD)) for word in unknown[:MAX_NAMED_WORDS])
        lines.append(f"No indexed article uses these words: {named}. Check the spelling?")
    elif not answer.terms:
        lines.append("Your question has no words I can search for: name a person, place or thing.")
    return clip("\n".join(lines), MESSAGE_LIMIT)


def context_embed(sentences: Sequence[Sentence], focus: Hit) -> discord.Embed:
    """The sentences around the top hit, the hit itself in bold."""
    budget = (DESCRIPTION_LIMIT - DESCRIPTION_SPARE) // max(len(sentences), 1)
    lines = []
    for sentence in sentences:
        shown = escape(clip(sentence.shown, budget - CONTEXT_FRAME))
        lines.append(f"**{shown}**" if sentence == focus.sentence else shown)
    embed = discord.Embed(
        title=clip("Context: " + escape(focus.document.title), TITLE_LIMIT),
        description=clip(" ".join(lines), DESCRIPTION_LIMIT),
        colour=ANSWER_COLOUR,
    )
    return embed.set_footer(text=clip(plain_citation(focus), FOOTER_LIMIT))


def plain_citation(hit: Hit) -> str:
    """The citation without markdown, for footers (which do not render it)."""
    doc = hit.document
    parts = [doc.title, doc.source or "", display_date(doc.published) or ""]
    parts.append(f"¶{hit.sentence.paragraph} s{hit.sentence.number}")
    return " · ".join(" ".join(part.split()) for part in parts if part)


def documents_embed(documents: Sequence[DocumentInfo], page: int, per_page: int) -> discord.Embed:
    """One page of the document list (``page`` counts from 0)."""
    pages = max(1, -(-len(documents) // per_page))
    shown = documents[page * per_page : (page + 1) * per_page]
    lines = [document_line(doc) for doc in shown] or ["No documents yet."]
    embed = discord.Embed(
        title=f"Documents ({len(documents):,})",
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=ANSWER_COLOUR,
    )
    return embed.set_footer(text=f"page {page + 1} of {pages}")


def document_line(doc: DocumentInfo) -> str:
    """``doc_id`` — title · outlet · date, escaped and shortened."""
    extra = " · ".join(p for p in (doc.source, display_date(doc.published)) if p)
    title = escape(clip(doc.title, LISTED_TITLE))
    title += f" · {escape(clip(extra, LISTED_EXTRA))}" if extra else ""
    doc_id = clip(doc.doc_id.replace("`", "'"), LISTED_EXTRA)
    return f"`{doc_id}` — {title}"


def stats_embed(
    stats: IndexStats, scope: str, building: bool, semantic: str | None = None
) -> discord.Embed:
    """The figures of one index, for ``/index status``; ``semantic`` says how far semantic
    re-ranking is (its model and embedding progress), when it is switched on."""
    embed = discord.Embed(title=f"Index status: {scope}", colour=ANSWER_COLOUR)
    rows = [
        ("Documents", f"{stats.documents:,}"),
        ("Sentences", f"{stats.sentences:,}"),
        ("Skipped files", f"{len(stats.skipped):,}"),
        ("Last build", f"{stats.built_at} ({stats.build_seconds:.2f} s)"),
        ("Index size", f"{stats.size_bytes / 1024:,.1f} KiB"),
        ("Rebuilding now", "yes" if building else "no"),
    ]
    for name, value in rows:
        embed.add_field(name=name, value=value)
    embed.add_field(
        name="Corpus folder", value=clip(escape(stats.corpus), CORPUS_SHOWN), inline=False
    )
    if semantic is not None:
        embed.add_field(name="Semantic re-ranking", value=escape(semantic), inline=False)
    return embed


def add_removed_field(embed: discord.Embed, folder: Path, count: int) -> None:
    """Where ``/index remove`` keeps removed files, and for how long (until deleted by hand)."""
    kept = f"{_plural(count, 'file')} kept in {folder}" if count else f"none yet; kept in {folder}"
    embed.add_field(
        name="Removed files",
        value=clip(escape(f"{kept}, until the bot's owner deletes them"), CORPUS_SHOWN),
        inline=False,
    )


def build_summary(stats: IndexStats) -> str:
    """One message saying what a build indexed and skipped."""
    lines = [
        f"Indexed {_plural(stats.documents, 'document')}, {_plural(stats.sentences, 'sentence')} "
        f"in {stats.build_seconds:.2f} s; skipped {_plural(len(stats.skipped), 'file')}."
    ]
    lines += [skipped_line(item) for item in stats.skipped[:MAX_LISTED]]
    return clip("\n".join(lines), MESSAGE_LIMIT)


def skipped_line(item: Skipped) -> str:
    """One skipped file and why, as a bullet."""
    return f"• skipped {escape(clip(str(item), SHOWN_SKIP))}"


def titles_line(documents: Sequence[DocumentInfo]) -> str:
    """The first few titles of ``documents``, comma-separated."""
    return ", ".join(escape(clip(doc.title, SHOWN_TITLE)) for doc in documents[:MAX_TITLES])


def article_choices(
    documents: Sequence[DocumentInfo], current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete choices: the articles whose title or id contains ``current``."""
    needle = current.casefold().strip()
    return [
        app_commands.Choice(name=clip(doc.title or doc.doc_id, CHOICE_NAME_LIMIT), value=doc.doc_id)
        for doc in documents
        if len(doc.doc_id) <= CHOICE_NAME_LIMIT
        and (needle in doc.title.casefold() or needle in doc.doc_id.casefold())
    ][:MAX_CHOICES]


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
