"""``--semantic`` on the command line: the semantic extra switched on for one command.

Settings (read by the one settings loader, :mod:`index.cli.settings`):
``QABOT_SEMANTIC`` (1 switches it on; ``--semantic``/``--no-semantic`` win),
``QABOT_SEMANTIC_MODEL`` (``--semantic-model``: a model folder or a hub id) and
``QABOT_SEMANTIC_INT8`` (0 runs the float model). The model is loaded only when the
switch is on, and its modules are imported inside the functions, so the default
command line never imports ONNX Runtime.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from index.cli.settings import LoadedSettings, Setting

if TYPE_CHECKING:
    from index.semantic.embedder import Embedder
    from index.service.embedding import EmbeddingProgress, SentenceEmbedding
    from index.service.searcher import Searcher

SEMANTIC = Setting(
    "QABOT_SEMANTIC", "1: mix sentence embeddings into the ranking (the semantic extra)", "0"
)
SEMANTIC_MODEL = Setting(
    "QABOT_SEMANTIC_MODEL",
    "the embedding model: a folder (model.onnx, tokenizer.json) or a Hugging Face id "
    "(unset: all-MiniLM-L6-v2, downloaded on first use)",
    None,
    "--semantic-model",
)
SEMANTIC_INT8 = Setting(
    "QABOT_SEMANTIC_INT8", "1: run the embedding model quantized to int8; 0: as shipped", "1"
)
SEMANTIC_SETTINGS = (SEMANTIC, SEMANTIC_MODEL, SEMANTIC_INT8)


def semantic_argument(parser: argparse.ArgumentParser) -> None:
    """``--semantic`` / ``--no-semantic`` (default: ``QABOT_SEMANTIC``)."""
    parser.add_argument(
        "--semantic",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="mix sentence embeddings into the ranking (pip install 'qabot[semantic]'; "
        f"{SEMANTIC.env}=1 does the same)",
    )


def is_on(args: argparse.Namespace, loaded: LoadedSettings) -> bool:
    """Whether the command runs with semantic re-ranking."""
    flag = getattr(args, "semantic", None)
    return loaded.flag(SEMANTIC) if flag is None else bool(flag)


def embedder(loaded: LoadedSettings, models: Path) -> Embedder:
    """The model the settings name; its int8 copy and downloads are kept in ``models``
    (beside the index folder: ``.qabot/models`` by default)."""
    from index.semantic.loading import load_embedder

    int8 = loaded.flag(SEMANTIC_INT8)
    return load_embedder(loaded.text(SEMANTIC_MODEL), models, int8=int8)


def switch_on(
    args: argparse.Namespace, loaded: LoadedSettings, searcher: Searcher, index_dir: Path
) -> SentenceEmbedding | None:
    """When semantic re-ranking is on: the searcher's embedding, with what is saved taken
    up (nothing is embedded here). ``None`` when it is off."""
    if not is_on(args, loaded):
        return None
    from index.service.embedding import SentenceEmbedding

    model = embedder(loaded, index_dir.parent / "models")
    embedding = SentenceEmbedding(searcher.index, index_dir, model)
    embedding.attach(searcher)
    embedding.load()
    return embedding


def fill_with_progress(embedding: SentenceEmbedding, quiet: bool) -> None:
    """Embed what is missing, with a tqdm bar on a terminal (saved chunk by chunk: an
    interrupted run resumes next time)."""
    from index.cli.progress import ProgressBar

    if quiet or not sys.stderr.isatty():
        embedding.fill()
        return
    bar = ProgressBar(sys.stderr, unit="sentence", label="embedding")
    try:
        embedding.fill(bar)
    finally:
        bar.close()


def describe(progress: EmbeddingProgress | None) -> str:
    """The ``stats`` line about semantic re-ranking."""
    if progress is None:
        return f"off (--semantic or {SEMANTIC.env}=1 to switch it on)"
    return progress.describe().removeprefix("semantic re-ranking ")
