"""The ``qabot`` command line: a thin layer over the library, for terminals and scripts.

``main`` parses the commands and maps errors to exit statuses, ``terminal`` renders
answers, documents and figures for a terminal, and ``eval_command`` runs the quality
harness. The bot's commands (``run``, ``sync``) join these in ``bot/cli.py``.
"""
