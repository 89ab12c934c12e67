"""Two JAX processes on localhost (CPU collectives) train like one; a dead one stops the other."""

import socket
import subprocess
import sys
import time

import keras
import pytest
from scale_helpers import HERE, TINY_DCGAN, device_env, train
from weights import assert_same_weights, run_weights

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(keras.backend.backend() != "jax", reason="JAX multi-process")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def launch(run_dir, dataset, steps, *extra):
    """Processes 0 and 1 of one run, one CPU device each."""
    port = free_port()
    return [subprocess.Popen(
        [sys.executable, str(HERE / "run_train.py"), *TINY_DCGAN, "--dataset", dataset,
         "--steps", str(steps), "--run-dir", str(run_dir), "--coordinator", f"localhost:{port}",
         "--num-processes", "2", "--process-id", str(i), *map(str, extra)],
        env=device_env("jax", 1), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(2)]


def test_two_processes_match_one(tmp_path, tiny_images):
    train("jax", 1, *TINY_DCGAN, "--dataset", tiny_images, "--steps", 3,
          "--run-dir", tmp_path / "one")
    procs = launch(tmp_path / "two", tiny_images, 3)
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
    assert_same_weights(run_weights(tmp_path / "one"), run_weights(tmp_path / "two"))


def test_killing_one_process_stops_the_other_within_the_bound(tmp_path, tiny_images):
    bound = 20
    procs = launch(tmp_path / "run", tiny_images, 100_000, "--checkpoint-every", 2,
                   "--step-timeout", bound)
    try:
        deadline = time.monotonic() + 600
        while not list((tmp_path / "run" / "checkpoints").glob("step-*")):  # past compiling
            assert time.monotonic() < deadline and procs[0].poll() is None, procs[0].stderr.read()
            time.sleep(0.5)
        procs[1].kill()
        killed = time.monotonic()
        _, err = procs[0].communicate(timeout=bound + 120)
        waited = time.monotonic() - killed
    finally:
        for p in procs:
            p.kill()
    assert procs[0].returncode != 0, err[-3000:]
    assert waited < bound + 30, (waited, err[-3000:])
    assert "error: process 0 of 2 stopped" in err or "error: a training step on process 0 of 2" in err
    assert procs[0].returncode == 3, err[-3000:]
