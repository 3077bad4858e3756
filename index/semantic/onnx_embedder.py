"""Sentence embeddings with ONNX Runtime and a Hugging Face tokenizer (no torch).

The model is a BERT-style encoder exported to ONNX (all-MiniLM-L6-v2 by default):
its token vectors are mean-pooled over the attention mask and scaled to length 1,
as sentence-transformers does for that model (Reimers and Gurevych 2019). Texts
are sorted by length before batching, so a batch pads to similar lengths.

``onnxruntime`` and ``tokenizers`` are imported when an embedder is made, never
at ``import index``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from index.semantic.embedder import Vectors, unit_rows

MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on at most 256 word pieces
BATCH_SIZE = 32


@dataclass(frozen=True, slots=True)
class RuntimeOptions:
    """How ONNX Runtime runs: ``threads`` for one call (1 keeps a question's latency low on
    a busy machine; the bulk embedder may use more), texts per batch, tokens kept per text."""

    threads: int = 1
    batch_size: int = BATCH_SIZE
    max_tokens: int = MAX_TOKENS


class OnnxEmbedder:
    """An :class:`~index.semantic.embedder.Embedder` running an ONNX encoder."""

    def __init__(
        self, model: Path, tokenizer: Path, name: str, options: RuntimeOptions = RuntimeOptions()
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        session_options = onnxruntime.SessionOptions()
        session_options.intra_op_num_threads = options.threads
        session_options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(model), session_options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {item.name for item in self._session.get_inputs()}
        self._tokenizer: Any = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(options.max_tokens)
        self._options = options
        self._name = name
        self._dimension = int(self._session.get_outputs()[0].shape[-1])

    @property
    def name(self) -> str:
        """The model's name."""
        return self._name

    @property
    def dimension(self) -> int:
        """The length of each vector (384 for all-MiniLM-L6-v2)."""
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit vector per text, in the order given."""
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        vectors = np.empty((len(texts), self._dimension), dtype=np.float32)
        size = self._options.batch_size
        for start in range(0, len(order), size):
            chosen = order[start : start + size]
            vectors[chosen] = self._pooled([encodings[i].ids for i in chosen])
        return vectors

    def _pooled(self, rows: list[list[int]]) -> Vectors:
        """Run one batch of token ids; mean-pool over the real tokens and normalise."""
        width = max(len(row) for row in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden: npt.NDArray[np.float32] = self._session.run(
            None, {name: value for name, value in feed.items() if name in self._inputs}
        )[0]
        weights = mask[:, :, None].astype(np.float32)
        summed = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        return unit_rows(summed)
