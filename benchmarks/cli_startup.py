"""Wall time of ``ganzoo --help`` and ``ganzoo list``, each in a fresh process.

Runs each command ``--runs`` times (after one untimed warm-up that fills the
OS file cache) and prints the median and the fastest run of the wall time,
the median CPU time (user + system, which other work on a busy machine
inflates far less than wall time), in seconds, and whether the command
printed TensorFlow log lines. Give ``--ganzoo`` more than
once to compare installations (before/after): their runs are interleaved, so
a busy machine slows them alike.

    python benchmarks/cli_startup.py [--runs 5] [--ganzoo PATH/TO/ganzoo ...] [--json]

The environment is the caller's, less ``TF_CPP_MIN_LOG_LEVEL`` (so the
numbers include whatever the CLI does about TensorFlow's log lines).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(ganzoo: str, args: list[str]) -> tuple[float, float, bool]:
    """Wall and CPU seconds of one fresh ``ganzoo ARGS``, and whether it printed TF log lines."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    cpu, start = _children_cpu(), time.perf_counter()
    result = subprocess.run([ganzoo, *args], env=env, capture_output=True, text=True,
                            timeout=600)
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if result.returncode != 0:
        raise SystemExit(f"{ganzoo} {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return elapsed, cpu, bool(LOG_LINE.search(result.stderr))


def benchmark(ganzoos: list[str], runs: int) -> list[dict]:
    times = {(g, tuple(c)): [] for g in ganzoos for c in COMMANDS}
    cpus = {key: [] for key in times}
    logs = dict.fromkeys(times, False)
    for i in range(runs + 1):
        for key in times:  # interleaved: each installation sees the same load
            elapsed, cpu, printed = run_once(key[0], list(key[1]))
            logs[key] = logs[key] or printed
            if i > 0:  # the first round only warms the file cache
                times[key].append(elapsed)
                cpus[key].append(cpu)
    return [{"ganzoo": g, "command": "ganzoo " + " ".join(c), "median_s": statistics.median(t),
             "min_s": min(t), "median_cpu_s": statistics.median(cpus[(g, c)]), "runs": runs,
             "tensorflow_log_lines": logs[(g, c)]}
            for (g, c), t in times.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ganzoo", action="append",
                        help="a ganzoo console script (repeatable; default: this venv's)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = benchmark(args.ganzoo or [default_ganzoo()], args.runs)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"median of {args.runs} runs, seconds")
    for row in rows:
        logs = "TensorFlow log lines" if row["tensorflow_log_lines"] else "no log lines"
        print(f"  {row['ganzoo']}  {row['command']:<14} wall {row['median_s']:6.2f}"
              f" (min {row['min_s']:.2f})  cpu {row['median_cpu_s']:5.2f}  {logs}")


if __name__ == "__main__":
    main()
