"""The index's data and its files: building it, saving it, updating it in place.

``sentence_index`` is the immutable data of one index (``sentence_table`` for the
sentences and their texts, read from ``text_file`` on demand, plus the postings
and sentence facts); ``builder`` and ``batches`` build it from a corpus on both
cores; ``updates`` and ``incremental`` add and remove documents without
re-analysing the rest; ``codec`` turns it into named arrays and back (checked by
``structure`` so no kernel can read out of bounds), ``array_file`` writes and
strictly reads the ``.npy`` files, ``manifest`` describes a saved index,
``index_folder`` guards the folder (qabot's marker, the live generation, what may
be deleted), ``generation_writer`` writes versioned generations atomically (temp
folder, fsync, ``os.replace`` of ``CURRENT``) and ``generations`` loads them mapped
and checked.
"""
