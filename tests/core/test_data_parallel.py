"""keras.distribution.DataParallel on JAX gives the single-device numbers.

Two virtual CPU devices (XLA_FLAGS) stand in for GPUs; the same one-step
cases as the parity test run sharded and unsharded in subprocesses.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).with_name("parity_step.py")


def run(out, devices, *flags):
    env = {**os.environ, "KERAS_BACKEND": "jax",
           "XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}"}
    subprocess.run([sys.executable, str(SCRIPT), str(out), *flags], env=env, check=True,
                   capture_output=True, timeout=600)
    return dict(np.load(out))


@pytest.mark.slow
@pytest.mark.skipif(
    __import__("keras").backend.backend() != "jax", reason="JAX data parallelism"
)
def test_data_parallel_matches_single_device(tmp_path):
    single = run(tmp_path / "single.npz", 1)
    sharded = run(tmp_path / "sharded.npz", 2, "--data-parallel")
    assert single.keys() == sharded.keys()
    for key in single:
        np.testing.assert_allclose(sharded[key], single[key], rtol=1e-4, atol=1e-6,
                                   err_msg=key)
