"""A server collection's files: written whole, and removed into ``.removed``, never lost.

A removed file is kept as ``.removed/<time>-<random>-<name>``, so removing the same
name twice, even within one second, keeps both copies. Removed files stay until the
bot's owner deletes them; ``/index status`` says where they are.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from uuid import uuid4

REMOVED_FOLDER = ".removed"


def write_new(target: Path, data: bytes) -> None:
    """Write through a temp file so a crash never leaves half a document."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.part")
    temp.write_bytes(data)
    os.replace(temp, target)


def set_aside(folder: Path, relpath: str) -> Path:
    """Move ``folder/relpath`` into ``folder/.removed`` under a name never used before;
    returns where it went. Raises ``FileNotFoundError`` when the file is gone."""
    source = folder / relpath
    stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid4().hex[:8]}"
    aside = folder / REMOVED_FOLDER / f"{stamp}-{source.name}"
    aside.parent.mkdir(parents=True, exist_ok=True)
    if aside.exists():  # 1 in 4 billion within one second; never overwrite a kept file
        raise FileExistsError(f"{aside} exists")
    os.rename(source, aside)
    return aside


def removed_files(folder: Path) -> tuple[Path, int]:
    """Where the removed files of the collection ``folder`` are kept, and how many."""
    kept = folder / REMOVED_FOLDER
    return kept, sum(1 for entry in kept.iterdir() if entry.is_file()) if kept.is_dir() else 0
