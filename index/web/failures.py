"""Why a link or a feed was refused: one short reason a user can act on."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """The kinds of refusal; the value is what users read first."""

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


class FetchError(Exception):
    """A refusal: ``reason`` says which kind, ``detail`` the particulars (one line)."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
