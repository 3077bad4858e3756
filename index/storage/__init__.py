"""The index's data and its files: building it, saving it, updating it in place.

``sentence_index`` is the immutable data of one index (``sentence_table`` for the
sentences and their texts, read from ``text_file`` on demand, plus the postings
and sentence facts); ``builder`` and ``batches`` build it from a corpus on both
cores; ``updates`` and ``incremental`` add and remove documents without
re-analysing the rest; ``codec`` turns it into named arrays and back, ``manifest``
describes a saved index, and ``generations`` writes versioned generations
atomically (temp folder, fsync, ``os.replace`` of ``CURRENT``) and loads them mapped.
"""
