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
