"""Wall time of ``ganzoo --help`` and ``ganzoo list``, each in a fresh process.

Runs each command ``--runs`` times (after one untimed warm-up that fills the
OS file cache) and prints the median and the fastest run, in seconds, and
whether the command printed TensorFlow log lines. Point ``--ganzoo`` at
another installation's console script to compare two trees:

    python benchmarks/cli_startup.py [--runs 5] [--ganzoo .venv/bin/ganzoo] [--json]

The environment is the caller's, less ``TF_CPP_MIN_LOG_LEVEL`` (so the
numbers include whatever the CLI does about TensorFlow's log lines).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = (["--help"], ["list"])
LOG_LINE = re.compile(r"^([IWEF]\d{4} \d\d:\d\d|WARNING: All log messages before absl)", re.M)


def default_ganzoo() -> str:
    beside = Path(sys.executable).with_name("ganzoo")
    return str(beside) if beside.exists() else (shutil.which("ganzoo") or "ganzoo")


def time_command(ganzoo: str, args: list[str], runs: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    times, log_lines = [], False
    for i in range(runs + 1):
        start = time.perf_counter()
        result = subprocess.run([ganzoo, *args], env=env, capture_output=True, text=True,
                                timeout=600)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"{ganzoo} {' '.join(args)} failed:\n{result.stderr[-2000:]}")
        log_lines = log_lines or bool(LOG_LINE.search(result.stderr))
        if i > 0:  # the first run only warms the file cache
            times.append(elapsed)
    return {"command": "ganzoo " + " ".join(args), "median_s": statistics.median(times),
            "min_s": min(times), "runs": runs, "tensorflow_log_lines": log_lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ganzoo", default=default_ganzoo(), help="the ganzoo console script")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [time_command(args.ganzoo, command, args.runs) for command in COMMANDS]
    if args.json:
        print(json.dumps({"ganzoo": args.ganzoo, "results": rows}, indent=2))
        return
    print(f"{args.ganzoo} (median of {args.runs} runs)")
    for row in rows:
        logs = "TensorFlow log lines" if row["tensorflow_log_lines"] else "no log lines"
        print(f"  {row['command']:<16} {row['median_s']:6.2f} s  (min {row['min_s']:.2f} s, {logs})")


if __name__ == "__main__":
    main()
