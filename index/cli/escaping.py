"""Making article text, file names and JSON safe to print on a terminal.

Article text and file names come from whoever wrote the corpus. Printed raw,
an ESC or OSC sequence (``\\x1b]8;;...``) restyles or retitles the terminal, a C1
control (``\\x9b`` is CSI) does the same on terminals that honour it, a newline
in a file name forges lines of ``qabot docs``, and a bidi override reorders what
the reader sees. Everything the command line prints goes through one of these:

- :func:`shown_text` for text quoted from an article: each dangerous character
  becomes U+FFFD, one for one, so highlight offsets stay valid;
- :func:`shown_name` for names and messages (file names, titles, reasons): each
  becomes a visible escape (``\\n``, ``\\x1b``, ``\\u202e``), so the user can still
  tell which file is meant;
- :func:`json_text` for JSON: the same characters, and lone surrogates (which
  cannot be encoded as UTF-8), as ``\\uXXXX`` escapes inside the strings.

Tabs are kept; line breaks are kept only where the caller formats lines itself.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

# C0 controls but tab, DEL and C1, line and paragraph separators, bidi embeddings,
# overrides and isolates, and lone surrogates.
_UNSAFE = "\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_CHAR = re.compile(f"[{_UNSAFE}]")
# In JSON, ``json.dumps`` already escapes C0 controls; the rest can only occur in strings.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def shown_text(text: str) -> str:
    """``text`` with every unsafe character replaced by U+FFFD (offsets unchanged)."""
    return _UNSAFE_CHAR.sub("\ufffd", text)


def shown_name(text: str) -> str:
    """``text`` with every unsafe character written as a visible escape."""
    return _UNSAFE_CHAR.sub(lambda match: _escape(match.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def json_text(value: Any, indent: int | None = None) -> str:
    """``value`` as JSON (one line unless ``indent``), readable UTF-8 but with every unsafe
    character (lone surrogates included) escaped, so printing it never fails or misleads."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class SafeFormatter(logging.Formatter):
    """A log formatter whose messages cannot carry terminal controls (file names in
    warnings come from the corpus); a traceback keeps its lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return shown_name(super().formatMessage(record))
