"""``qabot ask -``: one question per input line, one JSON result per input line.

The promise: line N of the output answers line N of the input, whatever line N
holds. A line is plain text (the question) or, when it starts with ``{``, a JSON
object ``{"question", "k"?, "doc_id"?, "id"?}``. A line that cannot be asked gets a
result with an ``"error"`` and no hits, and the rest go on:

- a blank line: "the question is empty";
- bytes that are not UTF-8 (standard input is read as bytes, line by line);
- JSON that does not parse, or is nested too deeply: "not valid JSON (...)";
- a field of the wrong type (``doc_id`` a list, ``k`` a string, ``id`` an object);
- a line over :data:`MAX_LINE_BYTES`: neither parsed nor echoed whole (its first
  characters are), and never held in memory at once.

``"question"`` in an error result is the question as given, cut to the question
limit; ``"id"`` is echoed when it is a string or a number. Output is
:func:`index.cli.escaping.json_text`, so lone surrogates and terminal controls
are escaped rather than breaking the line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import IO, Any

from index.cli.escaping import json_text
from index.errors import InputError
from index.records import Answer

MAX_LINE_BYTES = 1 << 20
_ECHO_CHARS = 1_000
log = logging.getLogger(__name__)

Ask = Callable[[str, int, "str | None"], Answer]
"""Answers ``(question, k, doc_id)``; raises ``InputError`` for a question it refuses
(an empty or over-long one, an unknown document)."""


class LineError(InputError):
    """A batch line that cannot be asked; the message goes into its result."""


def answer_lines(source: IO[bytes], sink: IO[str], ask: Ask, k: int, doc_id: str | None) -> None:
    """Write one JSON result to ``sink`` for each line of ``source``, in order."""
    for number, raw in enumerate(_lines(source), start=1):
        sink.write(json_text(_result(number, raw, ask, k, doc_id)) + "\n")
        sink.flush()


def _lines(source: IO[bytes]) -> Iterator[bytes | int]:
    """Each line's bytes without its line break, or its length when over the limit (the
    rest of such a line is read and dropped in bounded pieces)."""
    while raw := source.readline(MAX_LINE_BYTES + 1):
        if len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n"):
            yield raw.rstrip(b"\r\n")
            continue
        size = len(raw)
        while (more := source.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
            size += len(more)
        yield size + len(more.rstrip(b"\r\n"))


def _result(number: int, raw: bytes | int, ask: Ask, k: int, doc_id: str | None) -> dict[str, Any]:
    request: dict[str, Any] = {}
    try:
        request = _request(raw)
        question = _field(request, "question", str, 'a JSON line needs a "question" string')
        answer = ask(question, _k(request, k), _doc_id(request, doc_id))
        result: dict[str, Any] = answer.to_json()
    except InputError as error:
        result = {"question": _echo(request.get("question")), "hits": [], "error": str(error)}
    except Exception as error:  # a bug: logged with its traceback; the lines after go on
        log.exception("line %d could not be answered", number)
        result = {"question": _echo(request.get("question")), "hits": [], "error": repr(error)}
    if isinstance(request.get("id"), str | int | float) and not isinstance(request["id"], bool):
        result["id"] = request["id"]
    return result


def _request(raw: bytes | int) -> dict[str, Any]:
    if isinstance(raw, int):
        raise LineError(f"the line is {raw:,} bytes; the limit is {MAX_LINE_BYTES:,}")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").strip()
    except UnicodeDecodeError as error:
        raise LineError(f"not UTF-8 text (invalid byte at column {error.start + 1})") from None
    if not text.startswith("{"):
        return {"question": text}
    try:
        parsed: dict[str, Any] = json.loads(text)  # text starting with "{" parses to an object
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise LineError("not valid JSON (nested too deeply)") from None
    return parsed


def _field(request: dict[str, Any], name: str, kind: type, message: str) -> Any:
    value = request.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise LineError(message)
    return value


def _k(request: dict[str, Any], default: int) -> int:
    from index.service.searcher import MAX_K

    if "k" not in request:
        return default
    k = _field(request, "k", int, f'"k" must be a whole number from 1 to {MAX_K}')
    if not 1 <= k <= MAX_K:
        raise LineError(f'"k" must be a whole number from 1 to {MAX_K}')
    return int(k)


def _doc_id(request: dict[str, Any], default: str | None) -> str | None:
    if request.get("doc_id") is None:
        return default
    return str(_field(request, "doc_id", str, '"doc_id" must be a string (a document id)'))


def _echo(question: object) -> str | None:
    """The question to echo in an error result: text, cut to the question limit."""
    if not isinstance(question, str):
        return None
    return question if len(question) <= _ECHO_CHARS else question[:_ECHO_CHARS] + "…"
