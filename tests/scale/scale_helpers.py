"""Helpers of the scale tests: ``ganzoo train`` in a fresh process with virtual devices.

A module of its own: ``from conftest import`` finds another folder's conftest
when several test folders run together.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
TINY_DCGAN = ["--arch", "dcgan", "--image-size", "16", "--batch-size", "8",
              "--set", "base_filters=8", "-q"]


def device_env(backend: str, devices: int) -> dict:
    """Environment of a child process that sees ``devices`` virtual CPU devices."""
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    env.pop("GANZOO_TEST_TF_CPUS", None)
    if backend == "jax":
        # Must be set before JAX is imported: one reason each run is its own process.
        env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={devices}"
        env["CUDA_VISIBLE_DEVICES"] = ""
    else:
        env["GANZOO_TEST_TF_CPUS"] = str(devices)
    return env


def train(backend: str, devices: int, *args, check=True, timeout=600):
    """``ganzoo train ARGS`` in a child process; returns the CompletedProcess."""
    result = subprocess.run([sys.executable, str(HERE / "run_train.py"), *map(str, args)],
                            env=device_env(backend, devices), capture_output=True, text=True,
                            timeout=timeout)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def train_many(backend: str, devices: int, *commands, timeout=900):
    """Several ``ganzoo train`` commands (argument lists) one after another in ONE child process."""
    args = []
    for command in commands:
        args += [*(["--then"] if args else []), *map(str, command)]
    return train(backend, devices, *args, timeout=timeout)
