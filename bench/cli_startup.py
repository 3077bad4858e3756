"""How fast the ``qabot`` command starts, and which heavy modules each command imports.

Goals (issue 10): ``qabot --help`` imports neither numba nor nltk nor discord and
takes under 0.3 s; ``qabot ask`` with a current index on the seeds under 0.6 s.
Each command runs ``--runs`` times as a fresh process (the installed console
script, as a user runs it); the wall time of each run is measured from here, and
one more run under ``python -X importtime`` lists the heavy modules it imported.
The index is built once beforehand, so ``ask`` only loads it. Wall-clock figures
depend on what else the machine runs: the load average is printed beside them,
and so is each run's CPU time (user + system), which other processes disturb less.

    python -m bench.cli_startup [--runs 10] [--corpus seeds] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from subprocess import DEVNULL

HEAVY = ("numpy", "numba", "nltk", "rank_bm25", "asyncio", "discord", "tqdm", "dotenv")
GOALS = {"help": 0.3, "ask": 0.6, "floor": 0.6}
QUESTION = "What did the Pentagon say?"
# What ``ask`` cannot avoid: it reads the index with numpy and stems with PyStemmer
# (its kernels run interpreted over a small index, so numba is not imported: index.jit).
FLOOR = "import gc, numpy, Stemmer\ngc.freeze()"


@dataclass(frozen=True, slots=True)
class Startup:
    """One command's wall times over the runs, and the heavy modules it imported (ms each)."""

    command: str
    runs: int
    median_s: float
    max_s: float
    median_cpu_s: float
    goal_s: float
    heavy_imports_ms: dict[str, float]


def qabot() -> list[str]:
    """The installed console script beside this Python, as a user would run it."""
    script = Path(sys.executable).with_name("qabot")
    if not script.exists():
        raise SystemExit(f"no console script at {script}: pip install -e . first")
    return [str(script)]


def timed_runs(argv: list[str], runs: int, cwd: Path) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ``runs`` fresh processes running ``argv``."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu_before = _children_cpu()
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu_before)
    return walls, cpus


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def heavy_imports(argv: list[str], cwd: Path) -> dict[str, float]:
    """The heavy top-level packages ``argv`` imports, with their cumulative import time in ms."""
    script = argv[1:] if argv[0] == sys.executable else argv  # the console script is Python
    traced = [sys.executable, "-X", "importtime", *script]
    done = subprocess.run(traced, cwd=cwd, check=True, capture_output=True, text=True)
    found: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split("|"))
        top = name.split(".")[0]
        if top in HEAVY and cumulative.isdigit():
            found[top] = max(found.get(top, 0.0), int(cumulative) / 1000)
    return found


def measure(name: str, args: list[str], runs: int, cwd: Path) -> Startup:
    floor = name == "floor"
    argv = [sys.executable, "-c", FLOOR] if floor else [*qabot(), *args]
    walls, cpus = timed_runs(argv, runs, cwd)
    return Startup(
        command="floor: numpy and PyStemmer" if floor else " ".join(["qabot", *args[:2]]),
        runs=runs,
        median_s=round(statistics.median(walls), 3),
        max_s=round(max(walls), 3),
        median_cpu_s=round(statistics.median(cpus), 3),
        goal_s=GOALS[name],
        heavy_imports_ms={key: round(ms, 1) for key, ms in heavy_imports(argv, cwd).items()},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    corpus = options.corpus.resolve()
    with tempfile.TemporaryDirectory(prefix="qabot-startup-") as folder:
        cwd = Path(folder)  # no .env here: built-in defaults and the flags below only
        paths = ["--corpus", str(corpus), "--index", str(cwd / "index")]
        subprocess.run([*qabot(), "-q", "reindex", *paths], cwd=cwd, check=True, stdout=DEVNULL)
        load_before = os.getloadavg()
        results = [
            measure("help", ["--help"], options.runs, cwd),
            measure("ask", ["ask", QUESTION, *paths], options.runs, cwd),
            measure("floor", [], options.runs, cwd),
        ]
        load_after = os.getloadavg()
    report = {
        "load_average": [load_before, load_after],
        "bytecode": _bytecode(),
        "results": [asdict(r) for r in results],
    }
    print(json.dumps(report, indent=1) if options.json else render(results, load_before))


def render(results: list[Startup], load: tuple[float, float, float]) -> str:
    lines = [f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", _bytecode()]
    for result in results:
        goal = result.goal_s
        verdict = f"median {_met(result.median_s, goal)}, max {_met(result.max_s, goal)}"
        heavy = ", ".join(f"{k} {v:.0f} ms" for k, v in result.heavy_imports_ms.items()) or "none"
        lines.append(
            f"{result.command}: median {result.median_s:.3f} s, max {result.max_s:.3f} s over "
            f"{result.runs} runs (goal < {goal} s: {verdict}; median CPU "
            f"{result.median_cpu_s:.3f} s); heavy imports: {heavy}"
        )
    return "\n".join(lines)


def _bytecode() -> str:
    """Whether the runs load qabot's modules compiled: with ``PYTHONDONTWRITEBYTECODE`` set
    and no ``__pycache__`` yet, every run compiles them from source again."""
    if any((Path(__file__).resolve().parent.parent / "index" / "__pycache__").glob("*.pyc")):
        return "bytecode cache: present (qabot's modules load compiled)"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "bytecode cache: none, not written (PYTHONDONTWRITEBYTECODE): each run compiles"
    return "bytecode cache: written by the first run"


def _met(seconds: float, goal: float) -> str:
    return "met" if seconds < goal else "missed"


if __name__ == "__main__":
    main()
