"""TensorFlow, JAX and PyTorch give the same numbers for the same weights and batch.

Every backend runs in a subprocess (a process has one Keras backend), so this
test covers all of them whichever backend the suite runs on; it runs once, in
the TensorFlow pass. PyTorch is an optional extra: compared when installed.
"""

import importlib.util
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


OTHERS = ("jax",) + (("torch",) if importlib.util.find_spec("torch") else ())


def run(backend, out):
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run([sys.executable, str(SCRIPT), str(out)], env=env, check=True,
                   capture_output=True, timeout=600)
    return dict(np.load(out))


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parity")
    return run("tensorflow", tmp / "tf.npz"), {b: run(b, tmp / f"{b}.npz") for b in OTHERS}


CASES = ["non_saturating", "minimax", "least_squares", "wasserstein", "hinge",
         "relativistic_average", "gp", "r1"]


@pytest.mark.parametrize("other", OTHERS)
@pytest.mark.parametrize("case", CASES)
def test_one_step_matches_across_backends(results, case, other):
    tf_out, other_out = results[0], results[1][other]
    keys = sorted(k for k in tf_out if k.startswith(case + "/"))
    assert keys and keys == sorted(k for k in other_out if k.startswith(case + "/"))
    if case in ("gp", "r1"):
        assert f"{case}/log_{case}" in keys  # the penalty was computed and logged
    for key in keys:
        np.testing.assert_allclose(other_out[key], tf_out[key], rtol=1e-4, atol=1e-6,
                                   err_msg=f"{other}: {key}")
    # The step really moved the weights (else equality would prove nothing).
    initial = np.random.default_rng(1).normal(scale=0.5, size=tf_out[f"{case}/w0"].shape)
    assert not np.allclose(tf_out[f"{case}/w0"], initial)
