"""Collected examples kept in one ``.npz`` file (no pickle), so a grid re-runs in seconds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from bench.learning_data import Collection, Example


def save_collections(path: Path, collections: list[Collection]) -> None:
    """Write ``collections`` to ``path``: per collection its examples' rows stacked, with
    each example's row offsets and its other fields."""
    arrays: dict[str, Any] = {}
    meta = []
    for n, c in enumerate(collections):
        examples = c.examples
        arrays[f"table{n}"] = np.concatenate([e.table for e in examples])
        arrays[f"ids{n}"] = np.concatenate([e.ids for e in examples])
        arrays[f"correct{n}"] = np.concatenate([e.correct for e in examples])
        arrays[f"rows{n}"] = np.cumsum([0, *(len(e.ids) for e in examples)])
        fields = [[e.group, list(e.later), e.relevant, e.depth] for e in examples]
        meta.append(
            {
                "name": c.name,
                "measure": c.measure,
                "names": c.names,
                "mode": c.mode,
                "examples": fields,
            }
        )
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, allow_pickle=False, **arrays)


def load_collections(path: Path) -> list[Collection]:
    """The collections :func:`save_collections` wrote."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(bytes(data["meta"]).decode())
        collections = []
        for n, c in enumerate(meta):
            rows = data[f"rows{n}"]
            table, ids, correct = data[f"table{n}"], data[f"ids{n}"], data[f"correct{n}"]
            examples = tuple(
                Example(group, ids[a:b], table[a:b], correct[a:b], tuple(later), relevant, depth)
                for (group, later, relevant, depth), a, b in zip(
                    c["examples"], rows[:-1], rows[1:], strict=True
                )
            )
            names = tuple(c["names"])
            collections.append(Collection(c["name"], c["measure"], examples, names, c["mode"]))
    return collections
