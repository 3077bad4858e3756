"""Build progress: a tqdm bar on a terminal, nothing anywhere else."""

from __future__ import annotations

import io

from index.cli.progress import build_progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_that_ends_at_the_total() -> None:
    stream = Terminal()
    with build_progress(True, stream) as progress:
        assert progress is not None
        assert stream.getvalue() == ""  # nothing before the build reports
        for done in (1, 2, 3):
            progress(done, 3)
        ended = stream.getvalue()  # the line ends with the build, before anything is logged
    assert "indexing" in ended and "3/3" in ended and ended.endswith("\n")
    assert stream.getvalue() == ended


def test_nothing_when_quiet_or_not_a_terminal() -> None:
    with build_progress(False, Terminal()) as quiet:
        assert quiet is None
    piped = io.StringIO()
    with build_progress(True, piped) as progress:
        assert progress is None
    assert piped.getvalue() == ""
