"""``python -m index`` runs the ``qabot`` command line."""

from index.cli import run

run()
