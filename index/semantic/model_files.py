"""Finding the embedding model: a local folder, or the default model downloaded once.

The model is a setting (``QABOT_SEMANTIC_MODEL``, read at the edges): a folder laid
out like a Hugging Face model repository (``model.onnx`` at its root or under
``onnx/``, and ``tokenizer.json``), or a hub repository id, downloaded on first use
where there is internet. The default is all-MiniLM-L6-v2 (Apache-2.0).

:func:`quantized` makes an int8 copy of a model with ONNX Runtime's dynamic
quantization, per output channel (about twice as fast on a CPU, see
docs/semantic.md), cached by the source file's identity so it is made once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path

from index.errors import SemanticUnavailableError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_DOWNLOADED = ("onnx/model.onnx", "tokenizer.json", "config.json")


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """The files of one embedding model and the name it is reported under."""

    model: Path
    tokenizer: Path
    name: str
    quantized: bool = False


def missing_runtime() -> tuple[str, ...]:
    """The modules of the ``semantic`` extra that are not installed (empty when all are)."""
    return tuple(m for m in ("onnxruntime", "tokenizers") if importlib.util.find_spec(m) is None)


def require_runtime() -> None:
    """Raise :class:`SemanticUnavailableError` naming the fix when the extra is missing."""
    missing = missing_runtime()
    if missing:
        raise SemanticUnavailableError(
            f"semantic re-ranking needs {', '.join(missing)}: pip install 'qabot[semantic]'"
        )


def local_model(folder: Path, name: str | None = None) -> ModelFiles:
    """The model in ``folder`` (``model.onnx`` at its root or in ``onnx/``)."""
    places = (folder / "model.onnx", folder / "onnx" / "model.onnx")
    model = next((path for path in places if path.is_file()), None)
    tokenizer = folder / "tokenizer.json"
    if model is None or not tokenizer.is_file():
        raise SemanticUnavailableError(
            f"{folder} holds no ONNX sentence-embedding model "
            "(it needs model.onnx, or onnx/model.onnx, and tokenizer.json)"
        )
    return ModelFiles(model, tokenizer, name or _model_name(folder))


def _model_name(folder: Path) -> str:
    # A folder exported for offline use is often named "<model>-onnx".
    return folder.resolve().name.removesuffix("-onnx")


def downloaded_model(repo: str, cache_dir: Path | None = None) -> ModelFiles:
    """The hub repository ``repo``'s ONNX model and tokenizer, downloaded on first use."""
    from huggingface_hub import snapshot_download

    try:
        folder = snapshot_download(repo, allow_patterns=list(_DOWNLOADED), cache_dir=cache_dir)
    except Exception as error:  # any network or hub failure means the same thing here
        raise SemanticUnavailableError(
            f"cannot download the embedding model {repo!r} ({type(error).__name__}); "
            "without internet, set QABOT_SEMANTIC_MODEL to a local model folder"
        ) from error
    return local_model(Path(folder), repo.rsplit("/", 1)[-1])


def resolve_model(setting: str | None, cache_dir: Path | None = None) -> ModelFiles:
    """The model a setting names: a local folder, else a hub repository id (the default
    model when ``setting`` is empty)."""
    require_runtime()
    if setting and (Path(setting).expanduser().is_dir() or setting.startswith(("/", ".", "~"))):
        return local_model(Path(setting).expanduser())
    return downloaded_model(setting or DEFAULT_MODEL, cache_dir)


def quantized(files: ModelFiles, cache_dir: Path) -> ModelFiles:
    """``files`` with an int8 dynamically quantized copy of the model (made once, cached in
    ``cache_dir`` under the source's identity; written to a temporary file then renamed)."""
    if files.quantized:
        return files
    target = cache_dir / f"{files.name}-{_identity(files.model)}-int8-per-channel.onnx"
    if not target.is_file():
        _quantize(files.model, target)
    return replace(files, model=target, quantized=True)


def _identity(model: Path) -> str:
    stat = model.stat()
    key = f"{model.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _quantize(source: Path, target: Path) -> None:
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as error:  # onnxruntime.quantization needs the onnx package too
        raise SemanticUnavailableError(
            f"quantizing the model needs onnx: pip install 'qabot[semantic]' ({error})"
        ) from error
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    quiet = logging.root.manager.disable
    logging.disable(logging.WARNING)  # the quantizer logs a line per tensor, and advice
    try:
        # One scale per output channel of each weight matrix, not one per matrix: the
        # vectors stay within a cosine of 0.993 of float32's instead of 0.96, at the same
        # speed (docs/semantic.md).
        quantize_dynamic(source, partial, weight_type=QuantType.QInt8, per_channel=True)
        os.replace(partial, target)
    finally:
        logging.disable(quiet)
        partial.unlink(missing_ok=True)
