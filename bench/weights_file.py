"""Learned weights as a Python module of constants, written for review (no pickle).

Two modules are written this way: ``index/ranking/learned_weights.py`` (the lexical
re-ranker, ``WEIGHTS``: ``RerankConfig`` levers) and ``index/semantic/learned_weights.py``
(the semantic term on: ``LEVERS``, the ``RerankConfig`` levers then in force, and
``WEIGHTS``, ``SemanticConfig``'s weights). Each records the features it was learned
on (``FEATURES``, checked against the code's by the tests), its ``VERSION`` and how it
was made.
"""

from __future__ import annotations

import datetime
import shlex
import textwrap
from collections.abc import Mapping, Sequence

from bench.learning_data import Collection
from bench.ranking_model import Floats

VERSION = 1
# A semantic feature and the SemanticConfig field that weighs it.
SEMANTIC_FIELDS = {"semantic": "weight", "semantic_article": "article", "semantic_raw": "raw"}


def config_weights(names: Sequence[str], w: Floats) -> dict[str, dict[str, float]]:
    """``w`` (scaled so BM25's and the local score's weights sum to 1) as configuration
    fields: ``levers`` for ``RerankConfig`` (``local`` mixes BM25 with the local score)
    and, when there are semantic features, ``semantic`` for ``SemanticConfig``."""
    weights = dict(zip(names, (round(float(v), 4) for v in w), strict=True))
    levers = {n: v for n, v in weights.items() if n != "bm25" and n not in SEMANTIC_FIELDS}
    semantic = {SEMANTIC_FIELDS[n]: v for n, v in weights.items() if n in SEMANTIC_FIELDS}
    return {"levers": levers, "semantic": semantic} if semantic else {"levers": levers}


def constants_module(
    names: Sequence[str],
    weights: Mapping[str, Mapping[str, float]],
    command: Sequence[str],
    collections: Sequence[Collection],
    setting: str,
) -> str:
    """The source of the module holding ``weights``."""
    learned = ", ".join(f"{c.name} ({len(c.examples):,} questions)" for c in collections)
    lines = [
        '"""Weights learned by ``bench/learn_weights.py``: regenerate, do not edit by hand.',
        "",
        "Written by::",
        "",
        *_wrapped(["python", "-m", "bench.learn_weights", *command[1:]]),
        "",
        *textwrap.wrap(f"on {datetime.date.today().isoformat()}, from {learned}; {setting}.", 92),
        '"""',
        "",
        "from __future__ import annotations",
        "",
        f"VERSION = {VERSION}",
        "FEATURES = (",
        *(f'    "{name}",' for name in names),
        ")",
    ]
    if "semantic" in weights:
        lines += [_mapping("LEVERS", weights["levers"]), _mapping("WEIGHTS", weights["semantic"])]
    else:
        lines.append(_mapping("WEIGHTS", weights["levers"]))
    return "\n".join(lines) + "\n"


def _wrapped(words: Sequence[str]) -> list[str]:
    """A shell command over indented lines of at most about 90 characters, each word whole."""
    lines: list[str] = []
    for word in (shlex.quote(w) for w in words):
        if lines and len(lines[-1]) + len(word) < 84:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return [f"    {line}" + (" \\" if at < len(lines) - 1 else "") for at, line in enumerate(lines)]


def _mapping(name: str, values: Mapping[str, float]) -> str:
    body = "".join(f'    "{key}": {value!r},\n' for key, value in values.items())
    return f"{name}: dict[str, float] = {{\n{body}}}"
