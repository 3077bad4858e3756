"""Uploads: type, size and encoding checked before anything is written."""

from __future__ import annotations

import pytest

from bot.uploads import UploadError, check_size, check_suffix, check_upload, safe_name


def test_a_good_markdown_upload_passes() -> None:
    checked = check_upload("My Article.md", b"# Title\n\nSome text.", 1000)
    assert checked.name == "My-Article.md" and checked.data.startswith(b"# Title")


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        (".hidden.md", "hidden.md"),
        ("C:\\docs\\news.TXT", "news.txt"),
        ("@everyone.jsonl", "everyone.jsonl"),
        ("....md", "document.md"),
    ],
)
def test_safe_name_stays_inside_the_collection(filename: str, expected: str) -> None:
    assert safe_name(filename) == expected


def test_unknown_types_are_refused() -> None:
    with pytest.raises(UploadError, match=r"\.pdf"):
        check_suffix("report.pdf")


def test_empty_and_oversized_files_are_refused() -> None:
    with pytest.raises(UploadError, match="empty"):
        check_size(0, 10)
    with pytest.raises(UploadError, match="11 bytes; the limit is 10"):
        check_size(11, 10)


def test_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(UploadError, match="UTF-8"):
        check_upload("latin.txt", "café".encode("latin-1"), 1000)


def test_binary_files_are_refused() -> None:
    with pytest.raises(UploadError, match="binary"):
        check_upload("image.txt", b"\x89PNG\x00\x00", 1000)


def test_blank_text_is_refused() -> None:
    with pytest.raises(UploadError, match="no text"):
        check_upload("blank.md", b"  \n\n ", 1000)


def test_jsonl_lines_must_be_json_objects() -> None:
    good = b'{"id": "a", "title": "T", "text": "Body."}\n'
    assert check_upload("a.jsonl", good, 1000).name == "a.jsonl"
    with pytest.raises(UploadError, match="Line 2"):
        check_upload("b.jsonl", good + b"not json\n", 1000)
    with pytest.raises(UploadError, match="not a JSON object"):
        check_upload("c.jsonl", b"[1, 2]\n", 1000)
    deep = b"[" * 100_000 + b"]" * 100_000 + b"\n"
    with pytest.raises(UploadError, match=r"Line 2 .* nested too deeply"):
        check_upload("d.jsonl", good + deep, 1_000_000)


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd",
        "../../etc/passwd.txt",
        "/etc/cron.d/x.md",
        "..\\..\\win.txt",
        "C:news.txt",
    ],
)
def test_names_with_folders_are_refused_with_a_reason(filename: str) -> None:
    with pytest.raises(UploadError, match="cannot contain folders"):
        check_upload(filename, b"Title\n\nText.", 1000)
