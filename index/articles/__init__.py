"""Reading articles: corpus folders into documents, documents into sentences.

``corpus`` finds the files of one or more corpus folders and decodes them, skipping
bad ones with a reason; ``news``, ``markdown``, ``jsonl`` and ``html`` (saved web
pages, through trafilatura) parse each format into a :class:`index.records.Document`
(title, date, source, paragraphs); ``web_article`` is an article taken from a web page
and the Markdown file with front matter it is kept as; ``dates``
reads the dates pages print; ``paragraphs`` finds paragraph spans; ``sentences``
splits paragraphs into sentences with NLTK's Punkt trained on the corpus itself.
"""
