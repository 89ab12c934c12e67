"""The same seed gives the same augmentation on TensorFlow, JAX and PyTorch.

Every backend runs in a subprocess (a process has one Keras backend); the test
runs once, in the TensorFlow pass. PyTorch (an optional extra) when installed.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

SCRIPT = Path(__file__).with_name("augment_parity_run.py")

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="runs both backends itself; once per suite is enough",
)


OTHERS = ("jax",) + (("torch",) if importlib.util.find_spec("torch") else ())


def run(backend, out):
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run([sys.executable, str(SCRIPT), str(out)], env=env, check=True,
                   capture_output=True, timeout=600)
    return dict(np.load(out))


@pytest.fixture(scope="module")
def tf_out(tmp_path_factory):
    return run("tensorflow", tmp_path_factory.mktemp("augment") / "tf.npz")


@pytest.mark.parametrize("other", OTHERS)
def test_same_seed_same_augmentation_on_every_backend(tf_out, tmp_path, other):
    other_out = run(other, tmp_path / f"{other}.npz")
    assert sorted(tf_out) == sorted(other_out) and len(tf_out) == 12
    for key in tf_out:
        # Whole-pixel moves, masks and coin flips are bit-identical; trigonometry
        # and interpolation weights may differ in the last float bits.
        np.testing.assert_allclose(other_out[key], tf_out[key], rtol=0, atol=2e-5,
                                   err_msg=f"{other}: {key}")
        if key.endswith("/0"):  # each call draws afresh
            assert not np.allclose(tf_out[key], tf_out[key[:-1] + "1"])
