"""What checking an index at load costs: load time and memory, and a full checksum pass.

Usage: ``python -m bench.load_checks INDEX_DIR [--runs 10]``, for instance on the
index ``python -m bench.run --sizes 1000000`` leaves in ``bench/out/1000000/index``.

Each run is a fresh process (as ``qabot ask`` and a starting bot are) that warms up
the kernels, then times ``load_index`` (the structural checks included) and reads
its resident memory before and after; then ``verify_index`` reads every checksum.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

_ONE_LOAD = """
import json, sys, time
from pathlib import Path
from index import load_index, warm_up
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
warm_up()
before = rss()
started = time.perf_counter()
load_index(Path(sys.argv[1]))
print(json.dumps({"load_s": time.perf_counter() - started, "before": before, "after": rss()}))
"""


def one_load(index_dir: Path) -> dict[str, float]:
    """One fresh process's load time and resident memory (MiB)."""
    done = subprocess.run(
        [sys.executable, "-c", _ONE_LOAD, str(index_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    loads = [one_load(args.index) for _ in range(args.runs)]
    times = [run["load_s"] for run in loads]
    print(
        f"load_index: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f}, max {max(times):.3f} ({args.runs} fresh processes)"
    )
    after = max(run["after"] for run in loads)
    print(f"resident MiB: {loads[0]['before']:.0f} before loading, at most {after:.0f} after")
    from index import verify_index

    started = time.perf_counter()
    verify_index(args.index)
    print(f"verify_index (every checksum): {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
