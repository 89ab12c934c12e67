"""tf.distribute.MirroredStrategy over two virtual CPUs gives the one-device numbers."""

import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

HERE = Path(__file__).parent


def run(replicas, out):
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONPATH": str(HERE)}
    subprocess.run([sys.executable, str(HERE / "mirrored_step.py"), str(replicas), str(out)],
                   env=env, check=True, capture_output=True, timeout=600)
    return dict(np.load(out))


@pytest.mark.slow
@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.distribute")
def test_mirrored_strategy_matches_one_replica(tmp_path):
    one, two = run(1, tmp_path / "one.npz"), run(2, tmp_path / "two.npz")
    assert one.keys() == two.keys()
    for key in one:
        np.testing.assert_allclose(two[key], one[key], rtol=1e-4, atol=1e-6, err_msg=key)
