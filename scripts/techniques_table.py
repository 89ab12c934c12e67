"""Measure docs/techniques.md's table: one short CPU run per technique.

Every row trains the same conditional GAN (``cgan`` at 32x32 on Fashion-MNIST,
width 32, 4x4 kernels, batch 64) for the same number of steps, changing one
thing (a conditioning of D, a regularizer, a step trick or an augmentation),
then scores the final generator (the EMA one when a run keeps one) with ``ganzoo eval`` and ganzoo's
Fashion-MNIST classifier (FD, density/coverage, intra-class FD and class
accuracy). The baseline runs with three seeds to show the seed spread. The last rows
train other backbones from their own Fashion-MNIST presets for as many steps.

    ganzoo classifier fit --dataset fashion_mnist --image-size 32 --epochs 5 \\
        --out fmnist_classifier.keras
    python scripts/techniques_table.py --weights fmnist_classifier.keras --out runs/techniques

Each finished row is kept as ``OUT/ROW/score.json``; running again skips those
rows, so an interrupted measurement resumes. ``--only`` picks rows by name.
The table is printed as Markdown at the end.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

BASE = ["--arch", "cgan", "--dataset", "fashion_mnist", "--image-size", "32",
        "--batch-size", "64", "--set", "base_filters=32", "--set", "kernel_size=4"]

# name, what it shows, extra `ganzoo train` options
ROWS = [
    ("baseline", "cgan (D conditioned by its input, the paper's)", []),
    ("baseline-seed1", "the same, seed 1", ["--seed", "1"]),
    ("baseline-seed2", "the same, seed 2", ["--seed", "2"]),
    ("projection", "conditioning `projection`", ["--set", "d_conditioning=projection"]),
    ("acgan", "conditioning `acgan`", ["--set", "d_conditioning=acgan"]),
    ("tacgan", "conditioning `tacgan`", ["--set", "d_conditioning=tacgan"]),
    ("adcgan", "conditioning `adcgan`", ["--set", "d_conditioning=adcgan"]),
    ("contragan", "conditioning `contragan`", ["--set", "d_conditioning=contragan"]),
    ("reacgan", "conditioning `reacgan`", ["--set", "d_conditioning=reacgan"]),
    ("mhgan", "conditioning `mhgan`", ["--set", "d_conditioning=mhgan"]),
    ("cr", "regularizer `cr`", ["--regularizer", "cr"]),
    ("bcr", "regularizer `bcr`", ["--regularizer", "bcr"]),
    ("zcr", "regularizer `zcr`", ["--regularizer", "zcr"]),
    ("lecam", "regularizer `lecam` from step 0", ["--regularizer", "lecam:start=0"]),
    ("dragan", "regularizer `dragan`", ["--regularizer", "dragan"]),
    ("maxgp", "regularizer `maxgp`", ["--regularizer", "maxgp"]),
    ("topk", "top-k, k halves by step 550", ["--topk", "decay_every=8"]),
    ("logan", "LOGAN, StudioGAN's settings (alpha 0.9)", ["--logan", "alpha=0.9"]),
    ("diffaugment", "DiffAugment color,translation,cutout",
     ["--diffaugment", "color,translation,cutout"]),
    ("ada", "ADA, target 0.6", ["--ada", "0.6"]),
    ("apa", "APA, target 0.6", ["--apa", "0.6"]),
    # other backbones, from their Fashion-MNIST presets, for as many steps
    ("sngan", "architecture `sngan` (its Fashion-MNIST preset, 5 D steps a step)",
     ["--preset", "sngan-fashion-mnist-32"]),
    ("biggan-deep", "architecture `biggan-deep` (its Fashion-MNIST preset)",
     ["--preset", "biggan-deep-fashion-mnist-32"]),
]

COLUMNS = ("class_accuracy", "fid", "intra_fid", "density", "coverage")


def run(cmd: list[str], log: Path) -> None:
    with open(log, "a") as f:
        f.write("$ " + shlex.join(cmd) + "\n")
        f.flush()
        done = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if done.returncode:
        raise RuntimeError(f"{cmd[1]} failed (exit {done.returncode}); see {log}")


def measure(name: str, extra: list[str], args: argparse.Namespace) -> dict:
    out = Path(args.out) / name
    score_file = out / "score.json"
    if score_file.exists():
        return json.loads(score_file.read_text())
    out.mkdir(parents=True, exist_ok=True)
    run_dir = out / "run"
    log = out / "log.txt"
    base = [] if extra[:1] == ["--preset"] else BASE
    train = ["ganzoo", "train", *base, "--steps", str(args.steps), *extra,
             "--run-dir", str(run_dir), "-q"]
    start = time.time()
    run(train, log)
    seconds = time.time() - start
    evaluate = ["ganzoo", "eval", "--run", str(run_dir), "--weights", args.weights,
                "--metrics", "fid,dc,intra_fid", "--num-samples", str(args.num_samples),
                "--json"]
    result = subprocess.run(evaluate, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"eval of {name} failed: {result.stderr.strip()[-500:]}")
    score = json.loads(result.stdout)
    row = {k: score.get(k) for k in COLUMNS}
    row.update(train_seconds=round(seconds, 1), command=shlex.join(train))
    score_file.write_text(json.dumps(row, indent=1))
    return row


def table(rows: list[tuple[str, str, dict]]) -> str:
    lines = ["| row | change from the baseline | class accuracy | FD | intra-class FD "
             "| density | coverage |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, what, s in rows:
        lines.append(f"| {name} | {what} | {s['class_accuracy']:.3f} | {s['fid']:.1f} | "
                     f"{s['intra_fid']:.1f} | {s['density']:.3f} | {s['coverage']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", required=True, help="ganzoo classifier .keras file")
    parser.add_argument("--out", default="runs/techniques")
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--num-samples", type=int, default=5000)
    parser.add_argument("--only", default="", help="comma-separated row names")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    unknown = only - {name for name, _, _ in ROWS}
    if unknown:
        sys.exit(f"unknown rows {sorted(unknown)}; the rows are "
                 f"{', '.join(name for name, _, _ in ROWS)}")
    done, failed = [], []
    for name, what, extra in ROWS:
        if only and name not in only:
            continue
        print(f"{name} ...", flush=True)
        try:
            done.append((name, what, measure(name, extra, args)))
        except RuntimeError as e:
            failed.append(name)
            print(e, flush=True)
    print(table(done))
    if failed:
        sys.exit(f"failed rows: {', '.join(failed)}")


if __name__ == "__main__":
    main()
