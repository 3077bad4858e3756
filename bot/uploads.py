"""Checking a file a server admin uploads before it goes into a collection.

The type (by suffix), the size and the encoding are checked here, before a
byte is written, so a bad upload gets a clear message and changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.refusal import UserFacingError
from index import ARTICLE_SUFFIXES, JSONL_SUFFIXES, decode_article

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 100


class UploadError(UserFacingError):
    """An upload that cannot be added; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """An upload that passed every check: a safe file name and its bytes."""

    name: str
    data: bytes


def safe_name(filename: str) -> str:
    """A file name that cannot leave the collection folder or hide itself."""
    base = PurePosixPath(filename.replace("\\", "/")).name
    stem, suffix = PurePosixPath(base).stem, PurePosixPath(base).suffix.lower()
    cleaned = _UNSAFE.sub("-", stem).strip(".-") or "document"
    return cleaned[: MAX_NAME - len(suffix)] + suffix


def check_suffix(filename: str) -> None:
    """Refuse a name whose type the index cannot read."""
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
        raise UploadError(f"I can only index {kinds} files, not {suffix or 'files without one'}.")


def check_size(size: int, limit: int) -> None:
    """Refuse empty files and files over ``limit`` bytes."""
    if size <= 0:
        raise UploadError("That file is empty.")
    if size > limit:
        raise UploadError(f"That file is {size:,} bytes; the limit is {limit:,} bytes.")


def check_name(filename: str) -> None:
    """Refuse a name with a folder or drive in it: uploads go into the collection, nowhere else."""
    if "/" in filename or "\\" in filename or filename.startswith("..") or ":" in filename:
        shown = filename[:80]
        raise UploadError(f"File names cannot contain folders or drives ({shown!r}); rename it.")


def check_upload(filename: str, data: bytes, limit: int) -> CheckedUpload:
    """Name, type, size and encoding checked; raises :class:`UploadError` with the reason."""
    check_name(filename)
    check_suffix(filename)
    check_size(len(data), limit)
    try:
        text = decode_article(data)
    except ValueError as error:
        raise UploadError(f"I cannot read that file: {error}.") from None
    if not text.strip():
        raise UploadError("That file has no text in it.")
    name = safe_name(filename)
    if PurePosixPath(name).suffix in JSONL_SUFFIXES:
        _check_jsonl(text)
    return CheckedUpload(name, data)


def _check_jsonl(text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise UploadError(f"Line {number} of that JSONL file is not valid JSON.") from None
        except RecursionError:
            raise UploadError(f"Line {number} of that JSONL file is nested too deeply.") from None
        if not isinstance(record, dict):
            raise UploadError(f"Line {number} of that JSONL file is not a JSON object.")
