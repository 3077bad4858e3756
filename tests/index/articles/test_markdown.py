from __future__ import annotations

from index.articles.markdown import parse_markdown

ARTICLE = """---
date: 2021-03-04
source: The Example Times
url: https://example.org/a
---
# Bridges reopen

The bridge reopened on Monday.

## Background

```
code = "not prose"
```

Repairs took two years.
"""


def test_front_matter_heading_and_prose() -> None:
    document = parse_markdown("a.md", ARTICLE)
    info = document.info
    assert (info.title, info.source, info.url) == (
        "Bridges reopen",
        "The Example Times",
        "https://example.org/a",
    )
    assert info.published == "2021-03-04"
    paragraphs = [ARTICLE[p.start : p.end] for p in document.paragraphs]
    assert paragraphs == ["The bridge reopened on Monday.", "Repairs took two years."]


def test_without_heading_the_title_comes_from_the_file_name() -> None:
    document = parse_markdown("dir/city_news.md", "Just prose here.")
    assert document.info.title == "city news"


def test_json_quoted_values_and_iso_times_from_pages_added_by_link() -> None:
    text = (
        '---\ntitle: "A \\"quoted\\" title: yes"\ndate: "2024-03-05T09:30:00+00:00"\n'
        'url: "https://news.example/a?b=1"\nauthor: "Dana"\nlanguage: "en"\n---\n\nBody text.\n'
    )
    info = parse_markdown("a.md", text).info
    assert info.title == 'A "quoted" title: yes'
    assert info.published == "2024-03-05T09:30:00+00:00"
    assert (info.url, info.source) == ("https://news.example/a?b=1", "Dana")


def test_dates_in_other_shapes_still_parse() -> None:
    def published(value: str) -> str | None:
        return parse_markdown("a.md", f"---\ndate: {value}\n---\n\nBody.\n").info.published

    assert published("2024-03-05") == "2024-03-05"
    assert published("March 5, 2024") == "2024-03-05"
    assert published("'sometime'") == "sometime"
