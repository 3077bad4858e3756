"""Text into index terms: the one analyzer for sentences and questions, and what it knows.

``analysis`` turns text into terms (folding, stopwords, irregular verbs, Snowball
stems) with each word's span; ``wordlists`` loads the shipped lists in ``data/``
(no NLTK data is ever needed); ``synonyms`` expands a question with related terms;
``answer_types`` and ``sentence_facts`` work out what kind of answer a question asks
for and which sentences hold one; ``spelling`` offers "did you mean" for typos.
Nothing here knows about articles, indexes or files.
"""
