"""Finding the model: local folders, the download's failure message, the int8 copy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.errors import SemanticUnavailableError
from index.semantic import model_files
from index.semantic.model_files import (
    downloaded_model,
    local_model,
    quantized,
    resolve_model,
)
from index.semantic.onnx_embedder import OnnxEmbedder
from tests.conftest import write
from tests.index.semantic.models import minilm_or_skip


def test_a_folder_with_the_model_at_its_root_or_in_onnx(tmp_path: Path) -> None:
    write(tmp_path / "flat-onnx", "model.onnx", b"x")
    write(tmp_path / "flat-onnx", "tokenizer.json", "{}")
    flat = local_model(tmp_path / "flat-onnx")
    assert (flat.model.name, flat.name, flat.quantized) == ("model.onnx", "flat", False)
    write(tmp_path / "hub", "onnx/model.onnx", b"x")
    write(tmp_path / "hub", "tokenizer.json", "{}")
    assert local_model(tmp_path / "hub", "mini").model == tmp_path / "hub" / "onnx" / "model.onnx"


def test_a_folder_without_a_model_says_what_it_needs(tmp_path: Path) -> None:
    write(tmp_path, "tokenizer.json", "{}")
    with pytest.raises(SemanticUnavailableError, match=r"model\.onnx"):
        local_model(tmp_path)


def test_a_setting_that_is_a_path_never_becomes_a_download(tmp_path: Path) -> None:
    if model_files.missing_runtime():
        pytest.skip("the semantic extra is not installed")
    with pytest.raises(SemanticUnavailableError, match="holds no ONNX"):
        resolve_model(str(tmp_path / "absent"))


def test_without_internet_the_download_names_the_offline_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("huggingface_hub")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # no network here or in CI; be sure of it
    with pytest.raises(SemanticUnavailableError, match="QABOT_SEMANTIC_MODEL"):
        downloaded_model("sentence-transformers/all-MiniLM-L6-v2", tmp_path / "cache")


def test_a_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_files, "missing_runtime", lambda: ("onnxruntime",))
    with pytest.raises(SemanticUnavailableError, match=r"pip install 'qabot\[semantic\]'"):
        resolve_model(None)


def test_the_int8_copy_is_made_once_and_stays_close(tmp_path: Path) -> None:
    pytest.importorskip("onnx")
    files = local_model(minilm_or_skip())
    small = quantized(files, tmp_path)
    assert small.quantized and small.model.parent == tmp_path
    assert small.model.stat().st_size < files.model.stat().st_size / 3
    made = small.model.stat().st_mtime_ns
    assert quantized(files, tmp_path).model.stat().st_mtime_ns == made
    assert quantized(small, tmp_path) == small
    texts = ["Who won the Super Bowl?", "The Broncos beat the Panthers to win Super Bowl 50."]
    full = OnnxEmbedder(files.model, files.tokenizer, files.name).embed(texts)
    int8 = OnnxEmbedder(small.model, small.tokenizer, small.name).embed(texts)
    # Each vector moves a little (cosine about 0.95 with its float32 twin); what matters,
    # the cosine between question and answer, moves by a couple of hundredths.
    assert (np.sum(full * int8, axis=1) > 0.9).all()
    assert float(full[0] @ full[1]) == pytest.approx(float(int8[0] @ int8[1]), abs=0.05)
    assert list(tmp_path.glob(".*.tmp")) == []
