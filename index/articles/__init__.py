"""Reading articles: corpus folders into documents, documents into sentences.

``corpus`` finds the files of one or more corpus folders and decodes them, skipping
bad ones with a reason; ``news``, ``markdown`` and ``jsonl`` parse each format into
a :class:`index.records.Document` (title, date, source, paragraphs); ``dates``
reads the dates pages print; ``paragraphs`` finds paragraph spans; ``sentences``
splits paragraphs into sentences with NLTK's Punkt trained on the corpus itself.
"""
