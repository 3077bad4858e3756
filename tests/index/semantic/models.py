"""Where the real embedding model lives for tests: ``../shared/models``, else a skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.semantic.model_files import missing_runtime
from tests.paths import shared

MODELS = shared("models")
MINILM = MODELS / "all-MiniLM-L6-v2-onnx"


def minilm_or_skip() -> Path:
    """The all-MiniLM-L6-v2 ONNX folder; the calling test is skipped when it or the
    ``semantic`` extra is absent."""
    if missing_runtime():
        pytest.skip(f"the semantic extra is not installed ({', '.join(missing_runtime())})")
    if not (MINILM / "model.onnx").is_file():
        pytest.skip(f"embedding model not found at {MINILM} (../shared/models beside the repo)")
    return MINILM
