"""News-like pages and feeds for the web tests: articles wrapped in page furniture."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class PageArticle:
    """One article a test page carries, and what extraction should find in it."""

    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: str
    author: str
    guid: str


HARBOUR = PageArticle(
    "harbour-ferry",
    "Harbour opens a ferry terminal for twelve routes",
    (
        "The harbour authority opened a new ferry terminal on Monday, ending four years of "
        "construction on the eastern pier.",
        "The terminal serves twelve routes across the bay, and officials expect about nine "
        "thousand passengers a day by the summer.",
        "Mayor Elena Ruiz said the terminal would take two thousand cars off the coastal road "
        "every morning.",
    ),
    "2024-03-05",
    "Dana Whitfield",
    "urn:harbour-ferry",
)
OBSERVATORY = PageArticle(
    "observatory-telescope",
    "Mountain observatory installs a new telescope mirror",
    (
        "Engineers at the mountain observatory finished installing a four-metre mirror on "
        "Thursday after a delay caused by heavy snow.",
        "The director, Professor Amir Haddad, said the mirror would let astronomers study "
        "faint galaxies that were out of reach before.",
        "The first observations with the new mirror are planned for the autumn.",
    ),
    "2024-04-18",
    "Lena Okafor",
    "urn:observatory-telescope",
)
LIGHTHOUSE = PageArticle(
    "lighthouse-restored",
    "Volunteers restore the cape lighthouse lamp",
    (
        "A group of volunteers restored the lamp of the cape lighthouse over the winter, "
        "replacing corroded brass fittings by hand.",
        "The lighthouse keeper's cottage will open to visitors as a small museum in June, "
        "the heritage trust announced on Friday.",
    ),
    "2024-05-02",
    "Sam Porter",
    "urn:lighthouse-restored",
)


def news_page(article: PageArticle, base: str) -> str:
    """A full news page: navigation, adverts and comments around the article."""
    url = f"{base}/news/{article.slug}"
    body = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{escape(article.title)} | The Bay Courier</title>
<link rel="canonical" href="{url}">
<meta property="og:site_name" content="The Bay Courier">
<meta name="author" content="{escape(article.author)}">
<meta property="article:published_time" content="{article.published}T09:30:00+00:00">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li><li><a href="/subscribe">Subscribe now</a></li></ul>
</nav></header>
<div class="ad-banner" id="ad-top">Advertisement: Buy cheap flights to anywhere today!</div>
<main><article>
<h1>{escape(article.title)}</h1>
<p class="byline">By {escape(article.author)}, {article.published}</p>
{body}
</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/x">Ten recipes for the weekend</a></li>
<li><a href="/y">Local team wins the cup</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>First! This website is the best, click my profile for prizes.</p></div>
<div class="comment"><p>I drove past the site yesterday and it looked unfinished to me.</p></div>
</section></main>
<footer><p>Copyright 2024 The Bay Courier. All rights reserved. Privacy policy.</p></footer>
</body></html>"""


def rss_feed(articles: list[PageArticle], base: str) -> str:
    """An RSS 2.0 feed listing ``articles`` on the site at ``base``."""
    items = "".join(
        f"""<item><title>{escape(a.title)}</title><link>{base}/news/{a.slug}</link>
<guid isPermaLink="false">{a.guid}</guid><pubDate>{_rfc822(a.published)}</pubDate></item>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>The Bay Courier</title><link>{base}/</link>
<description>Local news</description>{items}</channel></rss>"""


def atom_feed(articles: list[PageArticle], base: str) -> str:
    """An Atom feed listing ``articles`` on the site at ``base``."""
    entries = "".join(
        f"""<entry><title>{escape(a.title)}</title><link href="{base}/news/{a.slug}"/>
<id>{a.guid}</id><updated>{a.published}T09:30:00Z</updated></entry>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>The Bay Courier</title>
<id>urn:bay-courier</id><updated>2024-05-02T00:00:00Z</updated>{entries}</feed>"""


def _rfc822(day: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    moment = datetime.fromisoformat(f"{day}T09:30:00+00:00")
    return format_datetime(moment)
