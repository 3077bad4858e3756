"""The core runs without Discord and without any NLTK data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEEDS


def run_python(
    code: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def test_importing_index_never_imports_discord() -> None:
    code = (
        "import importlib, pkgutil, sys, index\n"
        "for m in pkgutil.walk_packages(index.__path__, 'index.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'discord'))"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_ask_works_with_an_empty_nltk_data_folder(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    env = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path)}
    paths = ["--index", str(tmp_path / "i"), "--corpus", str(SEEDS)]
    code = (
        "from index.cli.main import main\n"
        f"raise SystemExit(main(['ask', 'What did the Pentagon say?', *{paths!r}]))"
    )
    result = run_python(code, env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1. Russia has agreed")
    assert "Pentagon" in result.stdout.splitlines()[0]
