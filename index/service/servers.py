"""A server's own small index searched beside the shared one (the bot's layout).

See ``index.service.parts``: the two are searched as one index over both would
be; the server's index holds its own documents only.
"""

from __future__ import annotations

from dataclasses import replace

from index.semantic.mixing import JoinedRanker, SemanticRanker
from index.service.opened_index import OpenedIndex
from index.service.searcher import Searcher


def combined(shared: OpenedIndex, own: OpenedIndex) -> OpenedIndex:
    """``own`` (a server's documents) searched beside ``shared`` as one index over both
    (``Searcher(own, beside=...)``): its ``index`` is ``own``'s, its searcher and figures
    cover both, semantic re-ranking included when both have it. Cheap to make (nothing of
    ``shared`` is copied): make one whenever either index changes."""
    searcher = Searcher(own.index, beside=shared.searcher, own=own.searcher.parts.parts[0])
    searcher.semantic = joined_semantic(searcher, shared.searcher, own.searcher)
    first, second = shared.stats, own.stats
    known = shared.searcher.term_ids
    new_terms = sum(term not in known for term in own.index.postings.vocabulary)
    stats = replace(
        second,
        documents=first.documents + second.documents,
        sentences=first.sentences + second.sentences,
        vocabulary=first.vocabulary + new_terms,
        postings=first.postings + second.postings,
        size_bytes=first.size_bytes + second.size_bytes,
        corpus=f"{first.corpus} + {second.corpus}",
        skipped=first.skipped + second.skipped,
    )
    return OpenedIndex(own.index, searcher, stats, own.rebuilt_because)


def joined_semantic(searcher: Searcher, shared: Searcher, own: Searcher) -> SemanticRanker | None:
    """The semantic ranker of ``searcher`` (``own``'s index beside ``shared``'s), when both
    have one: each index's sentences are embedded once, by its own worker."""
    theirs, ours = shared.semantic, own.semantic
    parts = searcher.parts.parts
    if theirs is None or ours is None or len(parts) != 2:
        return None
    firsts = [part.first_sentence for part in parts]
    return JoinedRanker((theirs, ours), firsts, [part.first_document for part in parts])
