"""``ganzoo train --devices 4`` on 4 virtual JAX CPU devices gives the one-device weights.

Each run is a child process: XLA_FLAGS must be set before JAX is imported.
"""

import subprocess
import sys

import keras
import numpy as np
import pytest
from scale_helpers import HERE, TINY_DCGAN, device_env, train, train_many
from weights import assert_same_weights, run_weights

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(keras.backend.backend() != "jax", reason="JAX devices")]


def test_dcgan_on_4_devices_matches_1_and_resumes_across_device_counts(tmp_path, tiny_images):
    one, mixed = tmp_path / "one", tmp_path / "mixed"
    common = [*TINY_DCGAN, "--dataset", tiny_images, "--checkpoint-every", 1]
    train_many("jax", 4,
               [*common, "--steps", 4, "--run-dir", one],  # 4 devices seen, 1 used
               [*common, "--steps", 2, "--run-dir", mixed, "--devices", 4],
               ["--resume", mixed, "--steps", 3, "-q"],  # 4-device checkpoint on 1 device
               ["--resume", mixed, "--steps", 4, "--devices", "all", "-q"])  # and back
    assert_same_weights(run_weights(one), run_weights(mixed))
    import yaml

    recorded = yaml.safe_load((mixed / "config.yaml").read_text())["distribution"]
    assert recorded["devices"] == 4 and recorded["per_device_batch"] == 2
    assert sorted(p.name for p in (mixed / "samples").iterdir())  # grids written


def test_uneven_batch_fails_before_training(tmp_path, tiny_images):
    result = train("jax", 4, *TINY_DCGAN, "--batch-size", 6, "--dataset", tiny_images,
                   "--steps", 1, "--devices", 4, "--run-dir", tmp_path / "r", check=False)
    assert result.returncode == 2
    assert "--batch-size 6 does not split evenly over 4 devices" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "r").exists()


def test_lazy_regularization_on_4_devices_matches_1(tmp_path):
    subprocess.run([sys.executable, str(HERE / "lazy_fit.py"), "1,4", str(tmp_path / "w")],
                   env=device_env("jax", 4), check=True, capture_output=True, timeout=600)
    assert_same_weights(dict(np.load(tmp_path / "w-1.npz")), dict(np.load(tmp_path / "w-4.npz")))


def test_progan_across_a_phase_change_on_4_devices_matches_1(tmp_path, tiny_images):
    args = ["--arch", "progan", "--dataset", tiny_images, "--image-size", 8, "--batch-size", 8,
            "--set", "latent_dim=8", "--set", "base_filters=32", "--set", "max_filters=16",
            "--steps", 3, "-q"]  # 3 phases (4x4, fade to 8x8, 8x8) of one step each
    train_many("jax", 4, [*args, "--run-dir", tmp_path / "one"],
               [*args, "--run-dir", tmp_path / "four", "--devices", 4])
    assert_same_weights(run_weights(tmp_path / "one"), run_weights(tmp_path / "four"))
