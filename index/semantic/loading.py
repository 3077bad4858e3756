"""Making the embedder a setting names: the one entry point the service and adapters use."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from index.semantic.model_files import quantized, resolve_model
from index.semantic.onnx_embedder import OnnxEmbedder, RuntimeOptions


def load_embedder(
    setting: str | None,
    cache_dir: Path,
    *,
    int8: bool = True,
    options: RuntimeOptions = RuntimeOptions(),
) -> OnnxEmbedder:
    """The embedding model ``setting`` names (a folder, a hub id, or ``None`` for the
    default), int8-quantized unless ``int8`` is false (the quantized copy and any download
    are kept in ``cache_dir``). Its name says which: vectors of the float and the int8
    model differ, so stored embeddings are only reused with the model that made them.
    Raises :class:`~index.errors.SemanticUnavailableError`."""
    files = resolve_model(setting, cache_dir / "models")
    if int8:
        files = quantized(files, cache_dir / "int8")
        files = replace(files, name=f"{files.name}-int8")
    return OnnxEmbedder(files.model, files.tokenizer, files.name, options)
