"""Every error qabot raises on purpose, in one hierarchy (as httpx does).

Adapters catch :class:`QabotError` once and map its kind to a message and an exit
status; anything else is a bug and gets a traceback in the log::

    QabotError
    ├── InputError             the user's input cannot be used (exit status 2)
    │   ├── CorpusError        the corpus folder is missing or unreadable
    │   ├── EmptyIndexError    nothing indexable: no document, no sentence left
    │   ├── UnknownDocumentError   a document id the index does not hold
    │   ├── QuestionError      an empty or over-long question
    │   ├── SettingsError      a setting (flag, variable, .env line) with a bad value
    │   │   └── SemanticUnavailableError   semantic re-ranking asked for, extra or model missing
    │   ├── IndexFolderError   an index folder qabot must not write in (not its own,
    │   │                      or inside the corpus)
    │   ├── EvaluationDataError    gold questions or articles that cannot be read
    │   ├── FetchError         a link or feed refused: its ``reason`` and ``detail``
    │   └── FeedListError      a collection's feed list cannot be read or written
    ├── IndexUnusableError     the saved index cannot be used (qabot rebuilds it)
    │   ├── IndexMissingError  no index in the folder yet
    │   └── IndexCorruptError  truncated, garbled or from another format version
    └── IndexWriteError        the index could not be written (exit status 1)
        └── IndexNotSavedError     built, not saved: ``opened`` holds it (index.service)

Every message is written for the person who caused it: it says what is wrong and,
where there is one, which setting or file to change.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import ClassVar


class QabotError(Exception):
    """Base of every error qabot raises on purpose."""

    exit_status: ClassVar[int] = 1


class InputError(QabotError):
    """The user's input cannot be used; the message says what to change."""

    exit_status: ClassVar[int] = 2


class CorpusError(InputError):
    """The corpus folder itself cannot be read (missing, not a folder, no permission)."""


class EmptyIndexError(InputError):
    """There is nothing to index: no readable document, or no sentence in them."""


class UnknownDocumentError(InputError):
    """A search was restricted to a document id the index does not hold."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(f"no document {doc_id!r} in the index")
        self.doc_id = doc_id

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return (type(self), (self.doc_id,))


class QuestionError(InputError):
    """A question that cannot be asked: empty, or longer than the limit."""


class SettingsError(InputError):
    """A setting has a value qabot cannot use; the message names the setting."""


class IndexFolderError(InputError):
    """The index folder is not qabot's to write in: it holds files qabot did not write,
    or it is (inside) a corpus folder. Nothing in it is touched."""


class SemanticUnavailableError(SettingsError):
    """Semantic re-ranking was switched on but cannot run: the ``semantic`` extra is not
    installed, or the embedding model can be neither found nor downloaded."""


class EvaluationDataError(InputError):
    """Gold questions, articles or a split file that cannot be read as such."""


class FetchReason(StrEnum):
    """Why a link or a feed was refused; the value is what users read first."""

    BAD_URL = "not a web link"
    PRIVATE_ADDRESS = "private address"
    REDIRECTS = "bad redirect"
    TIMEOUT = "timeout"
    CONNECTION = "cannot connect"
    HTTP_STATUS = "HTTP status"
    CONTENT_TYPE = "wrong content type"
    TOO_LARGE = "too large"
    BOMB = "decompression bomb"
    NOT_AN_ARTICLE = "not an article"
    NOT_A_FEED = "not a feed"
    DUPLICATE = "already added"
    LIMIT = "over a limit"
    WRITE = "cannot save"


class FetchError(InputError):
    """A link or feed refused: ``reason`` says which kind, ``detail`` the particulars."""

    def __init__(self, reason: FetchReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type, tuple[FetchReason, str]]:
        return (type(self), (self.reason, self.detail))


class FeedListError(InputError):
    """A collection's feed list cannot be read or written; a damaged one is left as it is."""


class IndexUnusableError(QabotError):
    """The saved index cannot be used as it is; opening an index rebuilds it."""


class IndexMissingError(IndexUnusableError):
    """No index has been built in this folder yet."""


class IndexCorruptError(IndexUnusableError):
    """The index folder exists but cannot be trusted (truncated, garbage, other version)."""


class IndexWriteError(QabotError):
    """The index could not be written (full disk, no permission); the old one stays live."""

    def __init__(self, error: OSError, index_dir: Path) -> None:
        super().__init__(f"cannot write the index in {index_dir}: {error.strerror or error}")
        self.error = error
        self.index_dir = index_dir

    def __reduce__(self) -> tuple[type, tuple[OSError, Path]]:
        # Crosses process boundaries (a rebuild in a child process raises it).
        return (IndexWriteError, (self.error, self.index_dir))
