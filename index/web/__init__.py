"""Articles from the web: links and news feeds fetched safely, extracted and kept as files.

A link is attacker-controlled input, so every address a fetch connects to is
checked first (:mod:`index.web.addresses`, :mod:`index.web.resolver`), redirects
are followed by hand and re-checked, bodies are capped while they stream and
decompression bombs refused (:mod:`index.web.fetcher`, :mod:`index.web.body`).
A page becomes a :class:`~index.articles.web_article.WebArticle` off the event
loop (:mod:`index.web.pages`), is kept as a Markdown file with front matter
(:mod:`index.web.store`), and feeds (:mod:`index.web.feeds`) are remembered in a
hidden registry beside the corpus (:mod:`index.web.registry`). This layer sits
above ``index.articles`` and below ``index.ranking``; it never touches an index:
``index.service.ingest`` writes the files and refreshes the index once.
"""
