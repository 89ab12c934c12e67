"""A .keras trained on one backend loads and trains on the others, random stream included.

A chain of subprocesses (a process has one Keras backend), each loading what
the previous one saved: TensorFlow -> JAX -> TensorFlow, and with PyTorch (an
optional extra) installed TensorFlow -> PyTorch -> JAX -> PyTorch -> TensorFlow.
Runs once, in the TensorFlow pass.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import keras
import pytest

SCRIPT = Path(__file__).with_name("cross_backend_step.py")
CHAIN = (("tensorflow", "torch", "jax", "torch", "tensorflow")
         if importlib.util.find_spec("torch") else ("tensorflow", "jax", "tensorflow"))

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="runs every backend itself; once per suite is enough",
)


def test_resume_across_backends(tmp_path):
    source = "-"
    for i, backend in enumerate(CHAIN):
        target = tmp_path / f"{i}-{backend}.keras"
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
        result = subprocess.run([sys.executable, str(SCRIPT), str(source), str(target),
                                 str(target.with_suffix(".npz"))], env=env, capture_output=True,
                                text=True, timeout=600)
        assert result.returncode == 0, f"{backend}: {result.stderr[-3000:]}"
        assert result.stdout.split()[-2:] == [backend, str(2 * (i + 1))]
        source = target
