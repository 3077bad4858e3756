"""The service on top: questions answered from an index kept fresh for its corpus.

``searcher`` answers questions from one loaded index (BM25, re-ranking, confidence,
highlights, did-you-mean, all in one call); ``opening`` opens an index (loaded when
current), ``rebuilding`` rebuilds it when stale or damaged, ``updating`` refreshes it
file by file, and each hands back an ``opened_index.OpenedIndex``; ``rebuild_process`` runs a
rebuild in a child process and ``search_thread`` searches off an event loop, for
hosts like the bot; ``evaluation`` measures answer quality on gold questions;
``ingest`` adds articles by link (fetch, keep as files, one incremental update),
``feed_poll`` polls followed feeds the same way and ``feed_list`` follows and
unfollows them.
Adapters reach all of it through ``index/__init__.py``.
"""
