"""``python -m index`` runs the ``qabot`` command line."""

from index.cli.main import run

# Build workers are spawned processes that import the main module: only the
# real entry point may run the command line.
if __name__ == "__main__":
    run()
