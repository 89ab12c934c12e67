"""TensorFlow and JAX give the same numbers for the same weights and batch.

Both backends run in subprocesses (a process has one Keras backend), so this
test covers both whichever backend the suite runs on; it runs once, in the
TensorFlow pass.
"""

import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

SCRIPT = Path(__file__).with_name("parity_step.py")

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="runs both backends itself; once per suite is enough",
)


def run(backend, out):
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run([sys.executable, str(SCRIPT), str(out)], env=env, check=True,
                   capture_output=True, timeout=600)
    return dict(np.load(out))


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parity")
    return run("tensorflow", tmp / "tf.npz"), run("jax", tmp / "jax.npz")


CASES = ["non_saturating", "minimax", "least_squares", "wasserstein", "hinge",
         "relativistic_average", "gp", "r1"]


@pytest.mark.parametrize("case", CASES)
def test_one_step_matches_across_backends(results, case):
    tf_out, jax_out = results
    keys = sorted(k for k in tf_out if k.startswith(case + "/"))
    assert keys and keys == sorted(k for k in jax_out if k.startswith(case + "/"))
    if case in ("gp", "r1"):
        assert f"{case}/log_{case}" in keys  # the penalty was computed and logged
    for key in keys:
        np.testing.assert_allclose(jax_out[key], tf_out[key], rtol=1e-4, atol=1e-6,
                                   err_msg=key)
    # The step really moved the weights (else equality would prove nothing).
    initial = np.random.default_rng(1).normal(scale=0.5, size=tf_out[f"{case}/w0"].shape)
    assert not np.allclose(tf_out[f"{case}/w0"], initial)
