"""What reaches the terminal: no control sequence from an article or a file name gets through."""

from __future__ import annotations

import json
import logging

import pytest

from index.cli.escaping import SafeFormatter, json_text, shown_name, shown_text

HOSTILE = "a\x1b[31mred\x1b]0;title\x07\x9b2J\u202eevil\u2028x\x00\ud800\tz"


def test_article_text_keeps_its_length_and_loses_its_controls() -> None:
    shown = shown_text(HOSTILE)
    assert len(shown) == len(HOSTILE)
    assert not any(c in shown for c in "\x1b\x07\x9b\u202e\u2028\x00\ud800")
    assert "\t" in shown and shown.startswith("a\ufffd[31mred")


def test_names_show_their_controls_as_escapes() -> None:
    assert shown_name("evil\n2. forged.txt") == "evil\\n2. forged.txt"
    assert shown_name(HOSTILE) == (
        "a\\x1b[31mred\\x1b]0;title\\x07\\x9b2J\\u202eevil\\u2028x\\x00\\ud800\tz"
    )


@pytest.mark.parametrize("indent", [None, 1])
def test_json_escapes_what_a_terminal_would_act_on_and_still_parses(indent: int | None) -> None:
    value = {"text": HOSTILE, "ok": "café 日本"}
    text = json_text(value, indent)
    assert not any(c in text for c in "\x1b\x07\x9b\u202e\u2028\x00")
    text.encode("utf-8")  # a lone surrogate would make this (and print) fail
    assert json.loads(text) == value and "café 日本" in text


def test_log_messages_cannot_forge_lines() -> None:
    record = logging.LogRecord("x", logging.WARNING, "f", 1, "skipped %s", ("a\nb\x1b",), None)
    assert SafeFormatter("qabot: %(message)s").format(record) == "qabot: skipped a\\nb\\x1b"
