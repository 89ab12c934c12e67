"""SIGKILL at seeded moments of a short run; every resume ends as an unbroken run.

One run directory is killed again and again: at named fault points
(``GANZOO_FAULT``: during a checkpoint write, between its write and rename,
before pruning, during a sample-grid write, at start-up) and at random wall
times. After each kill the test checks what a user would see: every visible
checkpoint intact, no more than one ``--checkpoint-every`` interval lost,
every sample grid a whole PNG. The chain of resumes must end with the weights,
sample grids and metrics of an uninterrupted run of the same seed, exactly.
"""

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

import keras
import numpy as np
import pytest
from keras import ops
from PIL import Image
from reliability_helpers import TINY_OVERRIDES, ganzoo_process

from ganzoo.training import TrainingSpec, latest_checkpoint, list_checkpoints, train
from ganzoo.training.checkpoints import verify

KILLS = int(os.environ.get("GANZOO_KILLS", "10"))  # per backend; CI runs both
# A killed process gets at most 2 checkpoints (4 steps) further: room for every kill.
STEPS, EVERY = 4 * KILLS + 8, 2


def spec(dataset):
    return TrainingSpec("dcgan", dataset, dict(TINY_OVERRIDES), steps=STEPS, seed=3,
                        checkpoint_every=EVERY, sample_every=3, log_every=1)


def schedule(seed: int, count: int) -> list[str]:
    """``count`` seeded faults: hook points (some with a delay) and wall-clock kills."""
    rng = random.Random(seed)
    faults = []
    for i in range(count):
        kind = ["checkpoint", "checkpoint-rename", "checkpoint-prune", "sample", "startup",
                "wall"][i % 6]
        if kind == "wall":
            faults.append(f"wall:{rng.uniform(0.5, 12.0):.2f}")
        elif kind == "startup":
            faults.append("startup:1")
        elif kind in ("checkpoint", "sample"):  # the timer lands inside the write
            faults.append(f"{kind}:{rng.randint(1, 2)}:+{rng.randint(0, 40)}")
        else:
            faults.append(f"{kind}:{rng.randint(1, 2)}")
    # Wall-clock kills last: on a fast machine one may land after the run has ended,
    # which must not cost the hook-point kills after it.
    return sorted(faults, key=lambda fault: fault.startswith("wall"))


def start(run, dataset, fault, first):
    if first:  # log_every=1 (no CLI flag) shows exactly how far each process got
        code = (f"from ganzoo.training import TrainingSpec, train; "
                f"train(TrainingSpec(**{spec(dataset).__dict__!r}), {str(run)!r}, verbose=0)")
        import subprocess

        env = {**os.environ, "GANZOO_FAULT": fault}
        return subprocess.Popen([sys.executable, "-c", code], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return ganzoo_process(["train", "--resume", run, "-q"],
                          fault=None if fault.startswith("wall") else fault)


def reached(run: Path) -> int:
    """The last step metrics.jsonl shows (log_every=1), 0 before any."""
    if not (run / "metrics.jsonl").is_file():
        return 0
    steps = [0]
    for line in (run / "metrics.jsonl").read_text().splitlines():
        try:
            steps.append(json.loads(line).get("step", 0))
        except ValueError:  # a line cut by the kill
            pass
    return max(steps)


def check_after_kill(run: Path) -> str:
    checkpoints = list_checkpoints(run / "checkpoints")
    for checkpoint in checkpoints:
        assert verify(checkpoint) is None, f"{checkpoint} is visible but not intact"
    saved = int(latest_checkpoint(run / "checkpoints").name[5:]) if checkpoints else 0
    got = reached(run)
    assert saved >= got - EVERY, f"reached step {got} but the newest checkpoint is {saved}"
    for png in (run / "samples").glob("*.png") if (run / "samples").is_dir() else []:
        Image.open(png).load()  # raises on a truncated file
    return f"step {got}, checkpoint {saved}"


def weights(path):
    gan = keras.saving.load_model(path)
    return [np.asarray(ops.convert_to_numpy(v)) for v in gan.weights]


def logged_steps(run: Path):
    # (The values are Keras' running means since the process's fit began, so a
    # resumed run's differ from an unbroken one's; the steps logged must not.)
    return [json.loads(x)["step"] for x in (run / "metrics.jsonl").read_text().splitlines()]


@pytest.mark.slow
def test_sigkill_anywhere_then_resume_matches_unbroken_run(tmp_path, tiny_npz):
    reference = train(spec(tiny_npz), tmp_path / "reference", verbose=0).path
    run = tmp_path / "killed"
    faults = schedule(seed=2026, count=KILLS)
    faults[0] = "checkpoint:2:+5"  # the first process must get as far as a run directory
    tried = survived = 0
    log = []
    for i, fault in enumerate(faults):
        proc = start(run, tiny_npz, fault, first=i == 0)
        if fault.startswith("wall"):
            deadline = time.time() + float(fault.split(":")[1])
            while time.time() < deadline and proc.poll() is None:
                time.sleep(0.05)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate(timeout=300)
        if proc.returncode == 0:  # the run ended before the fault fired
            log.append(f"{fault}: finished first")
            break
        assert proc.returncode == -signal.SIGKILL, stderr[-2000:]
        tried += 1
        log.append(f"{fault}: killed at {check_after_kill(run)}")
        survived += 1
    if reached(run) < STEPS or not (run / "gan.keras").is_file():
        proc = ganzoo_process(["train", "--resume", run, "-q"])
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr[-2000:]
    print(f"\nkills survived {survived}/{tried}:\n  " + "\n  ".join(log))

    for a, b in zip(weights(reference / "gan.keras"), weights(run / "gan.keras"), strict=True):
        np.testing.assert_array_equal(a, b)
    assert logged_steps(run) == logged_steps(reference) == list(range(1, STEPS + 1))
    samples = sorted(p.name for p in (reference / "samples").glob("*.png"))
    assert samples == sorted(p.name for p in (run / "samples").glob("*.png"))
    for name in samples:
        assert (run / "samples" / name).read_bytes() == (reference / "samples" / name).read_bytes()
    # Every hook-point kill fired; only a wall-clock kill may come after the run's end.
    assert tried == KILLS or (log[-1].startswith("wall") and log[-1].endswith("finished first")
                              and tried >= KILLS - sum(f.startswith("wall") for f in faults)), log
